#!/usr/bin/env bash
# Memory of small hashes, Ember vs Redis: loads N hashes of 10 fields into a fresh redis-server
# and a fresh Ember and prints bytes per key (Redis: used_memory growth; Ember: growth of the live
# heap, summed by `jmap -histo:live`, which forces a full GC first).
#
#   bench/hash-memory.sh [-n hashes] [short|numeric|tiny]
#     short   : fields field:0..field:9, values value:NNNN   (the default)
#     numeric : fields f0..f9, small integer values
#     tiny    : fields a..j, value "x"
# Needs the server jar (mvn -q -DskipTests package) and a JDK's jmap on PATH or in /usr/lib/jvm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=100000
if [ "${1:-}" = "-n" ]; then n="$2"; shift 2; fi
variant="${1:-short}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
jmap_bin="$(command -v jmap || ls /usr/lib/jvm/*/bin/jmap 2>/dev/null | sort -V | tail -n1)"
work="$(mktemp -d)"
redis_port=$(free_port); ember_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
"$here/bin/ember-server" --port "$ember_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/ember.log" 2>&1 &
ember_pid=$!   # the launcher execs java, so this is the JVM
trap 'kill "$redis_pid" "$ember_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for p in "$redis_port" "$ember_port"; do
  for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done

live_heap() { "$jmap_bin" -histo:live "$ember_pid" | awk '/^Total/ {print $3}'; }
used_memory() { redis-cli -p "$redis_port" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
gen() { python3 -c "
import sys
w = sys.stdout.buffer.write
for i in range($n):
    args = [b'HSET', b'hash:%06d' % i]
    for j in range(10):
        if '$variant' == 'numeric': args += [b'f%d' % j, b'%d' % (j * 7)]
        elif '$variant' == 'tiny': args += [bytes([97 + j]), b'x']
        else: args += [b'field:%d' % j, b'value:%04d' % (i % 10000)]
    w(b'*%d\r\n' % len(args) + b''.join(b'\$%d\r\n%s\r\n' % (len(a), a) for a in args))
"; }

r0=$(used_memory); e0=$(live_heap)
gen | redis-cli -p "$redis_port" --pipe >/dev/null
gen | redis-cli -p "$ember_port" --pipe >/dev/null
r1=$(used_memory); e1=$(live_heap)
echo "$n hashes of 10 fields ($variant), encoding redis=$(redis-cli -p "$redis_port" object encoding hash:000001)" \
  "ember=$(redis-cli -p "$ember_port" object encoding hash:000001)"
awk -v a="$((r1 - r0))" -v b="$((e1 - e0))" -v n="$n" \
  'BEGIN { printf "Redis %.1f B/key, Ember %.1f B/key, ratio %.3f\n", a / n, b / n, b / a }'
