#!/usr/bin/env bash
# Side-by-side macro benchmark: starts redis-server and Ember on free loopback ports, runs the same
# redis-benchmark workloads against each in turn, and prints ops/s, p50 and p99 for both with the
# Ember/Redis ratios (throughput ratio > 1 and latency ratio < 1 favour Ember), as a markdown table.
#
#   bench/run-vs-redis.sh [-n requests] [-c clients] [-t tests] [-d "sizes"] [-P "pipelines"] [-R rounds] [--memory]
#                         [--command "WORDS..."] [--subscribers N] [--setup "WORDS..."]
#
# --command benchmarks one arbitrary command instead of -t tests (redis-benchmark's own syntax,
# e.g. "PUBLISH bench:channel __rand_int__"); --subscribers starts N `redis-cli subscribe
# bench:channel` readers on each server first, so PUBLISH delivers to them. --setup runs one
# redis-cli command on each server before anything else (e.g. "SETBIT bench:bits 99999 1" so that
# BITCOUNT has a 12.5 KB bitmap to count). Scripting:
#   bench/run-vs-redis.sh -n 200000 -P 1 -d 3 --command "eval return(redis.call('incr',KEYS[1])) 1 key"
# (the command's words are split on spaces, so the script is written without any)
#
# Each workload runs -R times on each server, alternating, and the median of each figure is
# reported (a 2-core machine shared with redis-benchmark itself is noisy).
# Defaults: -n 1000000 -c 50 -t get,set,incr,mset -d "100 1024" -P "1 16" -R 3. --memory also runs
# bench/memory-vs-redis.sh strings (bytes per key on fresh servers).
set -euo pipefail
set -f # --command words such as XADD's * are passed as they are, never globbed
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

requests=1000000 clients=50 tests="get,set,incr,mset" sizes="100 1024" pipelines="1 16" rounds=3 memory=0
command="" subscribers=0 setup=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) requests="$2"; shift 2 ;;
    -c) clients="$2"; shift 2 ;;
    -t) tests="$2"; shift 2 ;;
    -d) sizes="$2"; shift 2 ;;
    -P) pipelines="$2"; shift 2 ;;
    -R) rounds="$2"; shift 2 ;;
    --memory) memory=1; shift ;;
    --command) command="$2"; shift 2 ;;
    --subscribers) subscribers="$2"; shift 2 ;;
    --setup) setup="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in redis-server redis-benchmark redis-cli; do
  command -v $tool >/dev/null || { echo "$tool not found: apt-get install redis-server redis-tools" >&2; exit 1; }
done
[ -f "$here/ember-server/target/ember-server.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not start" >&2; return 1; }

work=$(mktemp -d)
redis_port=$(free_port); ember_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
"$here/bin/ember-server" --port "$ember_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/ember.log" 2>&1 &
ember_pid=$!
sub_pids=()
cleanup() { kill "$redis_pid" "$ember_pid" "${sub_pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
wait_port "$redis_port"; wait_port "$ember_port"
if [ -n "$setup" ]; then
  # shellcheck disable=SC2086 # the command's words are separate arguments
  for port in "$redis_port" "$ember_port"; do redis-cli -p "$port" $setup >/dev/null; done
fi
for _ in $(seq 1 "$subscribers"); do
  for port in "$redis_port" "$ember_port"; do
    redis-cli -p "$port" subscribe bench:channel >/dev/null 2>&1 &
    sub_pids+=($!)
  done
done

# One CSV line per test: "test","rps","avg","min","p50","p95","p99","max"
run() { # port test size pipeline requests
  if [ -n "$command" ]; then
    # shellcheck disable=SC2086 # the command's words are separate arguments
    # (commas inside the quoted test name, as in an EVAL script, become ';' for the CSV parsing below)
    redis-benchmark -p "$1" -d "$3" -P "$4" -n "$5" -c "$clients" -r 100000 --csv $command 2>/dev/null | grep -v '^"test"' \
      | sed -E ':a; s/^("[^",]*),/\1;/; ta'
  else
    redis-benchmark -p "$1" -t "$2" -d "$3" -P "$4" -n "$5" -c "$clients" -r 100000 --csv 2>/dev/null | grep -v '^"test"'
  fi
}

# Let the JIT compile the hot paths before measuring (Redis needs no warm-up; Ember does). Several
# short runs, because each redis-benchmark start (new connections, CONFIG GET) takes paths a long
# steady run never sees; a server in production sees them all the time.
for _ in 1 2 3 4 5; do
  for p in $pipelines; do run "$ember_port" "$tests" 100 "$p" $((requests / 10)) >/dev/null; done
done

echo "| test | value | pipeline | Redis ops/s | Ember ops/s | ratio | Redis p50 ms | Ember p50 ms | Redis p99 ms | Ember p99 ms | p99 ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
# Median of column $2 per test name over the rounds in file $1 (CSV lines "test",rps,avg,min,p50,p95,p99,max).
median() {
  tr -d '"' <"$1" | awk -F, -v col="$2" '{ v[$1] = v[$1] " " $col; order[$1] = order[$1] ? order[$1] : ++n; name[order[$1]] = $1 }
    END { for (i = 1; i <= n; i++) { k = split(substr(v[name[i]], 2), a, " ");
            for (x = 1; x <= k; x++) for (y = x + 1; y <= k; y++) if (a[y] + 0 < a[x] + 0) { t = a[x]; a[x] = a[y]; a[y] = t }
            print name[i] "," a[int((k + 1) / 2)] } }'
}

for d in $sizes; do
  for p in $pipelines; do
    : >"$work/r.csv"; : >"$work/e.csv"
    for _ in $(seq 1 "$rounds"); do
      run "$redis_port" "$tests" "$d" "$p" "$requests" >>"$work/r.csv"
      run "$ember_port" "$tests" "$d" "$p" "$requests" >>"$work/e.csv"
    done
    paste -d, <(median "$work/r.csv" 2) <(median "$work/e.csv" 2) <(median "$work/r.csv" 5) <(median "$work/e.csv" 5) \
              <(median "$work/r.csv" 7) <(median "$work/e.csv" 7) | \
      awk -F, -v d="$d" -v p="$p" '{
        printf "| %s | %d B | %d | %.0f | %.0f | %.2f | %.3f | %.3f | %.3f | %.3f | %.2f |\n",
          $1, d, p, $2, $4, ($2 > 0 ? $4 / $2 : 0), $6, $8, $10, $12, ($10 > 0 ? $12 / $10 : 0)
      }'
  done
done

if [ "$memory" = 1 ]; then
  echo
  echo "Memory (bench/memory-vs-redis.sh strings, fresh servers):"
  "$here/bench/memory-vs-redis.sh" strings
fi
