#!/usr/bin/env bash
# CPU time a server process spends per request (user + system, from /proc/PID/stat) for one
# redis-benchmark workload — a steadier efficiency figure than ops/s on a noisy machine.
#
#   bench/cpu-per-request.sh PID PORT TEST PIPELINE REQUESTS
#   e.g. bench/cpu-per-request.sh "$(pgrep -f 'redis-server .*:6379')" 6379 get 16 1000000
set -euo pipefail
pid=$1 port=$2 test=$3 pipeline=$4 requests=$5
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(cpu_ticks)
rps=$(redis-benchmark -p "$port" -t "$test" -P "$pipeline" -n "$requests" -c 50 -r 100000 -d 100 --csv 2>/dev/null \
      | tail -1 | cut -d, -f2 | tr -d '"')
after=$(cpu_ticks)
awk -v t="$test" -v p="$pipeline" -v rps="$rps" -v d="$((after - before))" -v hz="$(getconf CLK_TCK)" -v n="$requests" \
  'BEGIN { printf "%s -P %s: %.0f ops/s, %.2f us CPU per request\n", t, p, rps, d * 1e6 / hz / n }'
