#!/usr/bin/env bash
# AOF side by side (issue 6): redis-server and Ember with appendonly yes, the same dataset of
# KEYS (default 1,000,000) small strings loaded with redis-cli --pipe, then for each server:
# BGREWRITEAOF wall time (BGREWRITEAOF to aof_rewrite_in_progress:0, median of 3; RDB preamble,
# the default), the AOF directory size, the start-up load time (the "DB loaded from append only
# file: <s> seconds" line both servers log); then SET throughput (redis-benchmark -t set, 50
# clients, RUNS requests) with appendfsync everysec (one request in flight per client, then
# pipelines of 16) and always, PAIRS alternating runs per policy.
#
#   bench/aof-vs-redis.sh            KEYS=100000 RUNS=50000 PAIRS=3 bench/aof-vs-redis.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEYS=${KEYS:-1000000}
RUNS=${RUNS:-200000}
PAIRS=${PAIRS:-5}
[ -f "$here/ember-server/target/ember-server.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 1200); do [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.05; done; return 1; }
now_ms() { date +%s%3N; }
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
field() { redis-cli -p "$1" info persistence | tr -d '\r' | sed -n "s/^$2://p"; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$KEYS" >"$work/data.resp" <<'PY'
import sys
w = sys.stdout.buffer.write
for i in range(int(sys.argv[1])):
    k, v = b'key:%012d' % i, b'v%09d' % i
    w(b'*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n' % (len(k), k, len(v), v))
PY

start_redis() { redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly yes --daemonize no --dir "$2" --logfile "$2/log" & }
start_ember() { "$here/bin/ember-server" --port "$1" --bind 127.0.0.1 --save '' --appendonly yes --dir "$2" >>"$2/log" 2>&1 & }

measure() { # name start-function
  local name=$1 starter=$2 dir="$work/$1" port pid
  mkdir -p "$dir"; port=$(free_port)
  $starter "$port" "$dir"; pid=$!
  wait_ready "$port"
  redis-cli -p "$port" --pipe <"$work/data.resp" >/dev/null
  local rewrites=()
  for _ in 1 2 3; do
    local t0; t0=$(now_ms)
    redis-cli -p "$port" bgrewriteaof >/dev/null
    while [ "$(field "$port" aof_rewrite_in_progress)" != 0 ] || [ "$(field "$port" aof_rewrite_scheduled)" != 0 ]; do sleep 0.01; done
    rewrites+=($(( $(now_ms) - t0 )))
  done
  local size; size=$(du -sk "$dir/appendonlydir" | cut -f1)
  redis-cli -p "$port" shutdown >/dev/null 2>&1 || true; wait "$pid" 2>/dev/null || true
  $starter "$port" "$dir"; pid=$!
  wait_ready "$port"
  local load; load=$(grep -o 'DB loaded from append only file: [0-9.]* seconds' "$dir/log" | tail -1 | grep -o '[0-9.]*' | head -1)
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; wait "$pid" 2>/dev/null || true
  printf '%-6s  rewrite %6s ms  aof dir %8s KB  load %6s s\n' "$name" "$(median3 "${rewrites[@]}")" "$size" "${load:-?}"
}

# SET throughput: both servers up at once (fresh AOF dirs, two warm-up runs each), PAIRS runs of
# redis-benchmark alternating between them, so that both see the same machine; the ratio is the
# median of the pairs' ratios.
set_pairs() { # policy pipeline
  local policy=$1 pipe=$2 rdir="$work/set-redis-$1-$2" edir="$work/set-ember-$1-$2" rport eport rpid epid label
  mkdir -p "$rdir" "$edir"; rport=$(free_port); eport=$(free_port)
  start_redis "$rport" "$rdir"; rpid=$!
  start_ember "$eport" "$edir"; epid=$!
  wait_ready "$rport"; wait_ready "$eport"
  redis-cli -p "$rport" config set appendfsync "$policy" >/dev/null
  redis-cli -p "$eport" config set appendfsync "$policy" >/dev/null
  bench_set() { redis-benchmark -p "$1" -t set -n "$RUNS" -c 50 -P "$pipe" -r 1000000 -q | grep -o '[0-9.]* requests per second' | cut -d' ' -f1; }
  label="$policy P$pipe"
  # warm-up: two runs each (the JVM's JIT settles after the second; Redis needs none)
  for _ in 1 2; do bench_set "$rport" >/dev/null; bench_set "$eport" >/dev/null; done
  local ratios=() r e
  for i in $(seq 1 "$PAIRS"); do
    r=$(bench_set "$rport"); e=$(bench_set "$eport")
    ratios+=($(python3 -c "print(f'{$e/$r:.3f}')"))
    printf 'SET %-12s pair %d: redis %10s/s  ember %10s/s  ratio %s\n' "$label" "$i" "$r" "$e" "${ratios[-1]}"
  done
  printf 'SET %-12s median ratio %s\n' "$label" "$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (PAIRS + 1) / 2 ))p")"
  redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
  redis-cli -p "$eport" shutdown nosave >/dev/null 2>&1 || true
  wait "$rpid" "$epid" 2>/dev/null || true
}

echo "keys: $KEYS, SET requests: $RUNS; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
measure redis start_redis
measure ember start_ember
set_pairs everysec 1
set_pairs everysec 16
set_pairs always 1
