#!/usr/bin/env bash
# Memory of small sets, Ember vs Redis: loads N sets of 10 small integers (the issue's measure)
# and N sets of 10 short strings into fresh servers and reports bytes per key.
#
#   bench/memory-sets.sh [-n sets]        (default 100000)
#
# Redis: growth of INFO used_memory. Ember: growth of the live heap, summed exactly from a class
# histogram taken after a full GC (jcmd GC.class_histogram), with the launcher's flags (ZGC).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=100000
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
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

# Live heap bytes: the total line of a class histogram (which runs a full GC first).
heap_used() { jcmd "$ember_java_pid" GC.class_histogram 2>/dev/null | awk '/^Total/ {print $3}'; }
redis_used() { redis-cli -p "$redis_port" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
gen() { # prefix, kind (int|str)
  python3 -c "
import sys
w=sys.stdout.buffer.write
for i in range($n):
    k=b'$1:%06d' % i
    m=[(b'%d' % j) if '$2' == 'int' else (b'm%d' % j) for j in range(1, 11)]
    w(b'*%d\r\n\$4\r\nSADD\r\n\$%d\r\n%s\r\n' % (len(m) + 2, len(k), k))
    for x in m: w(b'\$%d\r\n%s\r\n' % (len(x), x))
"; }

echo "| $n sets of | Redis bytes/key | Ember bytes/key | ratio |"
echo "|---|---|---|---|"
for kind in int str; do
  r0=$(redis_used); e0=$(heap_used)
  gen "set$kind" "$kind" | redis-cli -p "$redis_port" --pipe >/dev/null
  gen "set$kind" "$kind" | redis-cli -p "$ember_port" --pipe >/dev/null
  r1=$(redis_used); e1=$(heap_used)
  enc=$(redis-cli -p "$ember_port" object encoding "set$kind:000001")
  awk -v a="$((r1 - r0))" -v b="$((e1 - e0))" -v n="$n" -v k="$kind" -v e="$enc" 'BEGIN {
    printf "| 10 %s members (%s) | %.1f | %.1f | %.2f |\n", (k == "int" ? "small integer" : "short string"), e, a/n, b/n, b/a }'
done
