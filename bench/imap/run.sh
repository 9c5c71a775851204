#!/usr/bin/env bash
# IMAP benchmark: commands per second and latency per command with 50 concurrent clients doing what mail clients do
# (LOGIN, SELECT, FETCH headers, FETCH body, STORE, SEARCH, APPEND, EXPUNGE, LOGOUT), then the heap of one
# imap-service instance holding 10,000 IDLE connections. Not part of the test suite or CI.
#
# It starts nothing: the platform must run already, started with the limits the IDLE part needs, e.g.
#   MAIL_IMAP_MAX_CONNECTIONS=11000 MAIL_IMAP_MAX_SESSIONS_PER_ACCOUNT=11000 MAIL_IMAP_REQUIRE_TLS_FOR_AUTH=false \\
#     bin/mailplatform up
#   bench/imap/run.sh
#   CLIENTS=50 DURATION=60 ACCOUNTS=50 MESSAGES=100 IDLE=10000 bench/imap/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CLIENTS="${CLIENTS:-50}"
DURATION="${DURATION:-60}"
ACCOUNTS="${ACCOUNTS:-50}"
MESSAGES="${MESSAGES:-100}"
IDLE="${IDLE:-10000}"
DOMAIN="${DOMAIN:-bench-imap.test}"
PASS="Bench-imap-1234"
CTL="$ROOT/bin/mailctl"
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
listening 2993 || { echo "imap-service is not listening on 2993: start the platform first (see the header)" >&2; exit 2; }

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory:  $(free -m | awk '/^Mem:/ {print $2 " MiB total, " $7 " MiB available"}')"
echo "java:    $(java -version 2>&1 | head -1)"
echo "load:    $(uptime)"

echo "== accounts"
echo "${MAIL_ADMIN_PASSWORD:-admin}" | "$CTL" login -u "${MAIL_ADMIN_USER:-admin}" --password-stdin >/dev/null
"$CTL" domain create "$DOMAIN" >/dev/null 2>&1 || true
for i in $(seq 0 $((ACCOUNTS - 1))); do
  echo "$PASS" | "$CTL" account create "bench$i@$DOMAIN" --password-stdin >/dev/null 2>&1 || true
done
sleep 3
LOAD="java -Xmx512m $ROOT/bench/imap/ImapLoad.java"
echo "== seed: $MESSAGES messages of 4 KB per account by APPEND"
$LOAD seed 127.0.0.1 2993 "bench%d@$DOMAIN" "$PASS" "$ACCOUNTS" "$MESSAGES"
echo "== mix: $CLIENTS clients for $DURATION s"
$LOAD mix 127.0.0.1 2993 "bench%d@$DOMAIN" "$PASS" "$CLIENTS" "$DURATION" "$ACCOUNTS"

if [ "$IDLE" -gt 0 ]; then
  PID=$(pgrep -f 'imap-service/target/quarkus-app' | head -1)
  [ -n "$PID" ] || { echo "cannot find the imap-service process" >&2; exit 2; }
  ulimit -n 65536 2>/dev/null || true
  heap() { jcmd "$PID" GC.run >/dev/null; sleep 2; jcmd "$PID" GC.heap_info | awk '/generation|region size|garbage-first heap/ {printf "%s; ", $0}'; echo; }
  echo "== heap before IDLE connections: $(heap)"
  $LOAD idle 127.0.0.1 2143 "bench0@$DOMAIN" "$PASS" "$IDLE" 60 &
  LOADPID=$!
  # measure while all connections are idling
  for _ in $(seq 1 600); do sleep 1; [ -n "$(ss -Htn state established '( sport = :2143 )' | head -$IDLE | wc -l | awk -v n=$IDLE '$1>=n')" ] && break; done
  sleep 10
  echo "== heap with $(ss -Htn state established '( sport = :2143 )' | wc -l) IDLE connections: $(heap)"
  jcmd "$PID" GC.heap_info | head -5
  wait $LOADPID
fi
