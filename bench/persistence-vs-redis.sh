#!/usr/bin/env bash
# RDB persistence side by side (issue 5): the same dataset (1,000,000 small strings + 100,000
# small hashes of 10 fields, as bench/memory-vs-redis.sh builds them) in a fresh redis-server and
# a fresh Ember, then for each: SAVE time (median of 3), BGSAVE wall time (BGSAVE to
# rdb_bgsave_in_progress:0, median of 3), dump size, and start-up load time (the "DB loaded from
# disk" seconds each server logs). During one more Ember BGSAVE, a PING loop reports the longest
# reply time (the engine must not pause) and the process RSS before/during.
#
#   bench/persistence-vs-redis.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -f "$here/ember-server/target/ember-server.jar" ] || (cd "$here" && mvn -q -B -DskipTests package)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 600); do [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.05; done; return 1; }
now_ms() { date +%s%3N; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - >"$work/data.resp" <<'PY'
import sys
w = sys.stdout.buffer.write
def cmd(*args):
    w(b'*%d\r\n' % len(args))
    for a in args:
        w(b'$%d\r\n%s\r\n' % (len(a), a))
for i in range(1000000): cmd(b'SET', b'key:%012d' % i, b'v%09d' % i)
for i in range(100000):
    args = [b'HSET', b'hash:%08d' % i]
    for f in range(10): args += [b'field%d' % f, b'value%d' % (i % 1000 + f)]
    cmd(*args)
PY

ping_loop() { # 4 s of PINGs on one connection: the longest reply time and the count
  python3 - "$1" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
worst, n, end = 0.0, 0, time.time() + 4
while time.time() < end:
    t = time.perf_counter(); s.sendall(b"PING\r\n"); s.recv(64); d = time.perf_counter() - t
    worst = max(worst, d); n += 1
print("%.2f %d" % (worst * 1000, n))
PY
}

start_redis() { redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$2" --logfile "$2/log" & }
start_ember() { "$here/bin/ember-server" --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" >"$2/log" 2>&1 & }

measure() { # name start-function
  local name=$1 starter=$2 dir="$work/$1" port pid
  mkdir -p "$dir"; port=$(free_port)
  $starter "$port" "$dir"; pid=$!
  wait_ready "$port"
  redis-cli -p "$port" --pipe <"$work/data.resp" >/dev/null
  local saves=() bgsaves=()
  for _ in 1 2 3; do
    local t0; t0=$(now_ms); redis-cli -p "$port" save >/dev/null; saves+=($(( $(now_ms) - t0 )))
  done
  for _ in 1 2 3; do
    local t0; t0=$(now_ms); redis-cli -p "$port" bgsave >/dev/null
    until redis-cli -p "$port" info persistence | grep -q 'rdb_bgsave_in_progress:0'; do sleep 0.01; done
    bgsaves+=($(( $(now_ms) - t0 )))
  done
  local size; size=$(stat -c %s "$dir/dump.rdb")
  local pause="-" rss="-"
  if [ "$name" = ember ]; then
    local rss0; rss0=$(rss_kb "$pid")
    ping_loop "$port" >"$work/idle-pings" # the same loop with no save running: the machine's own noise
    ping_loop "$port" >"$work/pings" &
    local pinger=$!
    sleep 0.5; redis-cli -p "$port" bgsave >/dev/null
    local rss1=0
    until redis-cli -p "$port" info persistence | grep -q 'rdb_bgsave_in_progress:0'; do
      local r; r=$(rss_kb "$pid"); [ "$r" -gt "$rss1" ] && rss1=$r; sleep 0.02
    done
    wait "$pinger"
    pause="$(cut -d' ' -f1 "$work/pings") ms max over $(cut -d' ' -f2 "$work/pings") PINGs (idle: $(cut -d' ' -f1 "$work/idle-pings") ms)"
    rss="$(( rss0 / 1024 )) MB before, $(( rss1 / 1024 )) MB peak during"
  fi
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; wait "$pid" 2>/dev/null || true
  # start-up load: the server's own "DB loaded from disk: N seconds" line
  : >"$dir/log"; local t0; t0=$(now_ms)
  $starter "$port" "$dir"; pid=$!
  wait_ready "$port"; local wall=$(( $(now_ms) - t0 ))
  local keys; keys=$(redis-cli -p "$port" dbsize)
  local loaded; loaded=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$dir/log" | grep -o '[0-9.]*' | head -1)
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; wait "$pid" 2>/dev/null || true
  echo "$name|$(median3 "${saves[@]}")|$(median3 "${bgsaves[@]}")|$size|$loaded|$wall|$keys|$pause|$rss"
}

r=$(measure redis start_redis)
e=$(measure ember start_ember)
echo "| | SAVE ms (median of 3) | BGSAVE wall ms (median of 3) | dump bytes | load s (server log) | start-to-ready ms | keys after restart | PING during BGSAVE | RSS |"
echo "|---|---|---|---|---|---|---|---|---|"
for line in "$r" "$e"; do echo "| ${line//|/ | } |"; done
IFS='|' read -r _ rs rb rz rl _ _ <<<"$r"; IFS='|' read -r _ es eb ez el _ _ <<<"$e"
awk -v rs="$rs" -v es="$es" -v rb="$rb" -v eb="$eb" -v rz="$rz" -v ez="$ez" -v rl="$rl" -v el="$el" \
  'BEGIN { printf "Ember/Redis: SAVE %.2f, BGSAVE %.2f, size %.3f, load %.2f\n", es/rs, eb/rb, ez/rz, el/rl }'
