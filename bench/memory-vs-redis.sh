#!/usr/bin/env bash
# Memory side by side: for each dataset, starts fresh redis-server and Ember processes, loads the
# same data into both with redis-cli --pipe and reports bytes per key:
#   - Redis INFO used_memory growth vs the growth of Ember's live objects (jmap -histo:live, which
#     forces a full GC and sums every live object; ZGC's own "heap used" counts whole pages and
#     overstates small datasets)
#   - process RSS growth of both (the JVM's includes heap headroom the GC keeps)
#
#   bench/memory-vs-redis.sh [--settle SECONDS] [datasets...]
#
# --settle also reports both processes' RSS growth after SECONDS of idling following the full GC
# (the JVM returns heap it no longer uses only after -XX:ZUncommitDelay and never below -Xms;
# pass JVM options to Ember through EMBER_JAVA_OPTS).
#
# Datasets: strings (1,000,000 keys, 16-byte key, 10-byte value), hashes (100,000 hashes of 10
# short fields), sets (100,000 sets of 10 small integers), strsets (100,000 sets of 10 short
# strings: hashtable-encoded in 7.0), zsets (100,000 sorted sets of 10 members), bigzsets (5,000
# sorted sets of 200 members: skiplists), lists (10 lists of 100,000 elements), stream (one stream
# of 1,000,000 two-field entries; "keys" then counts entries). Default: the
# five of issues 2 and 3 (strings hashes sets zsets lists).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
settle=0
if [ "${1:-}" = "--settle" ]; then settle="$2"; shift 2; fi
datasets=("$@")
[ ${#datasets[@]} -gt 0 ] || datasets=(strings hashes sets zsets lists)
[ -f "$here/ember-server/target/ember-server.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
used_memory() { redis-cli -p "$1" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
jmap_bin="$(command -v jmap || ls /usr/lib/jvm/*/bin/jmap 2>/dev/null | sort -V | tail -n1)"
heap_used() { "$jmap_bin" -histo:live "$1" | awk '/^Total/ {print $3}'; } # live object bytes after a full GC

# Writes the RESP commands of a dataset to stdout; prints nothing else.
generate() {
  python3 - "$1" <<'PY'
import sys
w = sys.stdout.buffer.write
def cmd(*args):
    w(b'*%d\r\n' % len(args))
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        w(b'$%d\r\n%s\r\n' % (len(a), a))
kind = sys.argv[1]
if kind == 'strings':
    for i in range(1000000): cmd('SET', b'key:%012d' % i, b'v%09d' % i)
elif kind == 'hashes':
    for i in range(100000):
        args = ['HSET', b'hash:%08d' % i]
        for f in range(10): args += [b'field%d' % f, b'value%d' % (i % 1000 + f)]
        cmd(*args)
elif kind == 'sets':
    for i in range(100000): cmd('SADD', b'set:%08d' % i, *[(i * 7 + m) % 10000 for m in range(10)])
elif kind == 'strsets':
    for i in range(100000): cmd('SADD', b'sset:%08d' % i, *[b'member:%d' % ((i + m) % 1000) for m in range(10)])
elif kind == 'zsets':
    for i in range(100000):
        args = ['ZADD', b'zset:%08d' % i]
        for m in range(10): args += [m * 1.5 + (i % 100), b'member%d' % m]
        cmd(*args)
elif kind == 'bigzsets':
    for i in range(5000):
        args = ['ZADD', b'bigz:%06d' % i]
        for m in range(200): args += [m * 0.25, b'member:%d' % m]
        cmd(*args)
elif kind == 'stream':
    # One stream of 1,000,000 entries with two small fields; ten entries per millisecond, as a
    # busy producer's "*" IDs would be (explicit IDs so both servers hold the same entries).
    for i in range(0, 1000000, 100):
        for j in range(i, i + 100):
            cmd('XADD', 'stream', b'%d-%d' % (1700000000000 + j // 10, j % 10), 'device', b'%d' % (j % 500), 'temp', b'%d' % (200 + j % 97))
elif kind == 'lists':
    for l in range(10):
        for start in range(0, 100000, 1000):
            cmd('RPUSH', b'list:%d' % l, *[b'element-%d' % (start + j) for j in range(1000)])
PY
}

count() { case "$1" in strings|stream) echo 1000000 ;; lists) echo 10 ;; bigzsets) echo 5000 ;; *) echo 100000 ;; esac; }

echo "| dataset | keys | Redis used_memory B/key | Ember live objects B/key | ratio | Redis RSS B/key | Ember RSS B/key | RSS ratio | Redis RSS idle B/key | Ember RSS idle B/key | idle RSS ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for ds in "${datasets[@]}"; do
  work=$(mktemp -d)
  rp=$(free_port); ep=$(free_port)
  redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/r.log" 2>&1 &
  rpid=$!
  "$here/bin/ember-server" --port "$ep" --bind 127.0.0.1 --save '' --appendonly no >"$work/e.log" 2>&1 &
  epid=$!
  wait_port "$rp"; wait_port "$ep"
  ejava="$epid" # the launcher execs java
  generate "$ds" >"$work/data.resp"
  r0=$(used_memory "$rp"); rr0=$(rss_kb "$rpid"); e0=$(heap_used "$ejava"); er0=$(rss_kb "$ejava")
  redis-cli -p "$rp" --pipe <"$work/data.resp" >/dev/null
  redis-cli -p "$ep" --pipe <"$work/data.resp" >/dev/null
  r1=$(used_memory "$rp"); rr1=$(rss_kb "$rpid"); e1=$(heap_used "$ejava"); er1=$(rss_kb "$ejava")
  rr2=$rr1; er2=$er1
  if [ "$settle" -gt 0 ]; then sleep "$settle"; rr2=$(rss_kb "$rpid"); er2=$(rss_kb "$ejava"); fi
  n=$(count "$ds")
  awk -v ds="$ds" -v n="$n" -v r="$((r1 - r0))" -v e="$((e1 - e0))" -v rr="$(((rr1 - rr0) * 1024))" -v er="$(((er1 - er0) * 1024))" \
      -v rr2="$(((rr2 - rr0) * 1024))" -v er2="$(((er2 - er0) * 1024))" -v settle="$settle" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |", ds, n, r/n, e/n, e/r, rr/n, er/n, er/rr;
             if (settle > 0) printf " %.1f | %.1f | %.2f |\n", rr2/n, er2/n, er2/rr2; else print " - | - | - |" }'
  kill "$rpid" "$epid" 2>/dev/null || true; wait 2>/dev/null || true
  rm -rf "$work"
done
