#!/usr/bin/env bash
# Memory side by side: for each dataset, starts fresh redis-server and Ember processes, loads the
# same data into both with redis-cli --pipe and reports bytes per key:
#   - Redis INFO used_memory growth vs Ember's live heap growth after a full GC (jcmd GC.heap_info)
#   - process RSS growth of both
#
#   bench/memory-vs-redis.sh [datasets...]
#
# Datasets: strings (1,000,000 keys, 16-byte key, 10-byte value), hashes (100,000 hashes of 10
# short fields), sets (100,000 sets of 10 small integers), zsets (100,000 sorted sets of 10
# members), lists (10 lists of 100,000 elements). Default: all.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
datasets=("$@")
[ ${#datasets[@]} -gt 0 ] || datasets=(strings hashes sets zsets lists)
[ -f "$here/ember-server/target/ember-server.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
used_memory() { redis-cli -p "$1" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
heap_used() { # live heap bytes after a full GC
  jcmd "$1" GC.run >/dev/null 2>&1 || true; sleep 1
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/used/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); gsub(",", "", v); break }
    u = substr(v, length(v)); n = substr(v, 1, length(v) - 1) + 0
    if (u == "K") n *= 1024; else if (u == "M") n *= 1048576; else if (u == "G") n *= 1073741824; else n = v + 0
    printf "%.0f\n", n; exit }'
}

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
elif kind == 'zsets':
    for i in range(100000):
        args = ['ZADD', b'zset:%08d' % i]
        for m in range(10): args += [m * 1.5 + (i % 100), b'member%d' % m]
        cmd(*args)
elif kind == 'lists':
    for l in range(10):
        for start in range(0, 100000, 1000):
            cmd('RPUSH', b'list:%d' % l, *[b'element-%d' % (start + j) for j in range(1000)])
PY
}

count() { case "$1" in strings) echo 1000000 ;; lists) echo 10 ;; *) echo 100000 ;; esac; }

echo "| dataset | keys | Redis used_memory B/key | Ember live heap B/key | ratio | Redis RSS B/key | Ember RSS B/key | RSS ratio |"
echo "|---|---|---|---|---|---|---|---|"
for ds in "${datasets[@]}"; do
  work=$(mktemp -d)
  rp=$(free_port); ep=$(free_port)
  redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/r.log" 2>&1 &
  rpid=$!
  "$here/bin/ember-server" --port "$ep" --bind 127.0.0.1 --save '' --appendonly no >"$work/e.log" 2>&1 &
  epid=$!
  wait_port "$rp"; wait_port "$ep"
  ejava=$(pgrep -P "$epid" java || echo "$epid")
  generate "$ds" >"$work/data.resp"
  r0=$(used_memory "$rp"); rr0=$(rss_kb "$rpid"); e0=$(heap_used "$ejava"); er0=$(rss_kb "$ejava")
  redis-cli -p "$rp" --pipe <"$work/data.resp" >/dev/null
  redis-cli -p "$ep" --pipe <"$work/data.resp" >/dev/null
  r1=$(used_memory "$rp"); rr1=$(rss_kb "$rpid"); e1=$(heap_used "$ejava"); er1=$(rss_kb "$ejava")
  n=$(count "$ds")
  awk -v ds="$ds" -v n="$n" -v r="$((r1 - r0))" -v e="$((e1 - e0))" -v rr="$(((rr1 - rr0) * 1024))" -v er="$(((er1 - er0) * 1024))" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |\n", ds, n, r/n, e/n, e/r, rr/n, er/n, er/rr }'
  kill "$rpid" "$epid" 2>/dev/null || true; wait 2>/dev/null || true
  rm -rf "$work"
done
