#!/usr/bin/env bash
# SMTP gateway benchmark: accepted messages per second on the MX listener (127.0.0.1:2525) and the latency of the
# final 250 after ".", with the machine facts that the figures depend on. Not part of the test suite or CI.
#
# It starts nothing: the platform must already run (`bin/mailplatform up`), because a benchmark that silently
# starts (and builds) the platform would measure a cold JVM and make the run take minutes longer than it says.
#
#   bench/smtp/run.sh                         20 sessions x 4 KB for 60 s after a 5 s warm-up
#   SESSIONS=10 SIZE=16384 DURATION=30 bench/smtp/run.sh
#
# Environment: HOST PORT SESSIONS SIZE DURATION WARMUP DOMAIN USERS KAFKA (bootstrap, default 127.0.0.1:9092).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-2525}"
SESSIONS="${SESSIONS:-20}"
SIZE="${SIZE:-4096}"
DURATION="${DURATION:-60}"
WARMUP="${WARMUP:-5}"
DOMAIN="${DOMAIN:-bench.test}"
USERS="${USERS:-100}"
KAFKA="${KAFKA:-127.0.0.1:9092}"

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

if ! listening "$HOST" "$PORT" || ! listening 127.0.0.1 "${KAFKA##*:}"; then
  echo "nothing listens on $HOST:$PORT (SMTP MX) or $KAFKA (Kafka): start the platform first with" >&2
  echo "  bin/mailplatform up" >&2
  exit 2
fi
CLASSPATH_FILE="$ROOT/dev-infra/target/classpath.txt"
[ -f "$CLASSPATH_FILE" ] || { echo "$CLASSPATH_FILE is missing: build the project first (bin/mailplatform up does)" >&2; exit 2; }

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory:  $(free -m | awk '/^Mem:/ {print $2 " MiB total, " $7 " MiB available"}')"
echo "kernel:  $(uname -sr)"
echo "os:      $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
echo "java:    $(java -version 2>&1 | head -1)"
echo "load:    $(uptime)"
echo

echo "== seeding directory.changes: DOMAIN $DOMAIN and user1..user$USERS@$DOMAIN"
java -cp "$(cat "$CLASSPATH_FILE")" "$ROOT/bench/smtp/DirectorySeed.java" "$KAFKA" "$DOMAIN" "$USERS"
# the gateway follows the topic with a 500 ms poll; 5 s leaves room for a consumer that is still catching up
sleep 5

echo
echo "== SMTP load: $SESSIONS sessions x $SIZE bytes, warm-up $WARMUP s, measured $DURATION s against $HOST:$PORT"
java -Xmx256m "$ROOT/bench/smtp/SmtpLoad.java" --host "$HOST" --port "$PORT" \
  --sessions "$SESSIONS" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" --domain "$DOMAIN" \
  --users "$USERS" --label "mailplatform smtp-gateway"

# Postfix's own load generator as a cross-check of SmtpLoad; present once postfix-compare.sh has installed Postfix
if command -v smtp-source >/dev/null 2>&1; then
  echo
  echo "== smtp-source against $HOST:$PORT: 2000 messages, $SESSIONS sessions, $SIZE bytes (all to user1@$DOMAIN)"
  for flags in "-d" ""; do
    s=$(date +%s.%N)
    # smtp-source gives up on the first 4xx at connect; the gateway's per-IP limit (20) can refuse a new connection
    # while the one just closed is still counted, so a failed run is reported, not fatal
    if smtp-source $flags -l "$SIZE" -m 2000 -s "$SESSIONS" -f sender@example.net -t "user1@$DOMAIN" "$HOST:$PORT"; then
      e=$(date +%s.%N)
      # without -d smtp-source opens a connection per message; -d reuses them, as SmtpLoad does
      awk -v f="${flags:-(none)}" -v s="$s" -v e="$e" \
        'BEGIN { printf "smtp-source flags %s: 2000 messages in %.2f s = %.1f msgs/s\n", f, e - s, 2000 / (e - s) }'
    else
      echo "smtp-source flags ${flags:-(none)}: failed (exit $?), see its message above"
    fi
  done
fi
echo
echo "load after the run: $(uptime)"
