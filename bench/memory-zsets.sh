#!/usr/bin/env bash
# Memory of small sorted sets, Ember against redis-server: loads N sorted sets of M members
# (ZADD, one key per set) into fresh servers with redis-cli --pipe and reports bytes per set:
# Redis's used_memory growth against Ember's reachable objects (jcmd GC.class_histogram, exact)
# and heap in use after a full GC (jcmd GC.heap_info: with ZGC this counts whole pages, so it
# includes the fragmentation the load left behind), plus process RSS growth of both.
#
#   bench/memory-zsets.sh [-n sets] [-m members] [--scores int|decimal]
#
# Defaults: 100,000 sets of 10 members "member:<i>" (8-9 bytes) with integer scores; --scores
# decimal uses scores like 1.5 / 0.1 (stored as text in the listpack, as Redis does).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

sets=100000 members=10 scores=int
while [ $# -gt 0 ]; do
  case "$1" in
    -n) sets="$2"; shift 2 ;;
    -m) members="$2"; shift 2 ;;
    --scores) scores="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
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
cleanup() { kill "$redis_pid" "$ember_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
wait_port "$redis_port"; wait_port "$ember_port"
ember_java_pid=$(pgrep -P "$ember_pid" java || echo "$ember_pid")

heap_used() { # live heap bytes after a full GC
  jcmd "$ember_java_pid" GC.run >/dev/null 2>&1 || true; sleep 1
  jcmd "$ember_java_pid" GC.heap_info 2>/dev/null | awk '/used/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); gsub(",", "", v); break }
    u = substr(v, length(v)); n = substr(v, 1, length(v) - 1) + 0
    if (u == "K") n *= 1024; else if (u == "M") n *= 1048576; else if (u == "G") n *= 1073741824; else n = v + 0
    printf "%.0f\n", n; exit }'
}
live_bytes() { # exact bytes of reachable objects (class histogram forces a full GC first)
  jcmd "$ember_java_pid" GC.class_histogram 2>/dev/null | awk '/^Total/ {print $3}'
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
used_memory() { redis-cli -p "$1" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
gen() { python3 -c "
import sys
w = sys.stdout.buffer.write
decimal = '$scores' == 'decimal'
for i in range($sets):
    args = [b'ZADD', b'zset:%09d' % i]
    for j in range($members):
        args.append((b'%d.5' % j) if decimal and j % 2 else (b'0.1' if decimal else b'%d' % (j * 10)))
        args.append(b'member:%d' % j)
    w(b'*%d\r\n' % len(args))
    for a in args: w(b'\$%d\r\n%s\r\n' % (len(a), a))
"; }

r0=$(used_memory "$redis_port"); rr0=$(rss_kb "$redis_pid"); er0=$(rss_kb "$ember_java_pid"); eh0=$(heap_used); el0=$(live_bytes)
gen | redis-cli -p "$redis_port" --pipe >/dev/null
gen | redis-cli -p "$ember_port" --pipe >/dev/null
r1=$(used_memory "$redis_port"); eh1=$(heap_used); el1=$(live_bytes); rr1=$(rss_kb "$redis_pid"); er1=$(rss_kb "$ember_java_pid")
echo "Memory for $sets sorted sets of $members members ($scores scores), encoding: redis $(redis-cli -p "$redis_port" object encoding zset:000000000), ember $(redis-cli -p "$ember_port" object encoding zset:000000000)"
echo "| measure | Redis bytes/set | Ember bytes/set | ratio |"
echo "|---|---|---|---|"
awk -v a="$((r1 - r0))" -v b="$((el1 - el0))" -v n="$sets" 'BEGIN { printf "| used_memory (Redis) vs reachable objects (Ember, class histogram) | %.1f | %.1f | %.2f |\n", a/n, b/n, b/a }'
awk -v a="$((r1 - r0))" -v b="$((eh1 - eh0))" -v n="$sets" 'BEGIN { printf "| used_memory (Redis) vs heap in use after GC (Ember, GC.heap_info) | %.1f | %.1f | %.2f |\n", a/n, b/n, b/a }'
awk -v a="$(( (rr1 - rr0) * 1024 ))" -v b="$(( (er1 - er0) * 1024 ))" -v n="$sets" 'BEGIN { printf "| process RSS growth | %.1f | %.1f | %.2f |\n", a/n, b/n, b/a }'
