#!/usr/bin/env bash
# End-to-end delivery latency on the whole local platform, as the delivery-worker issue defines it: from the SMTP
# gateway's 250 to the message visible to an IMAP client, at an offered load of 100 messages/s (bench/delivery/
# EndToEnd.java says exactly how). Not part of the test suite or CI.
#
# It starts the platform (README's run command, `bin/mailplatform up`) with its data in a temporary directory, creates
# a domain and USERS accounts through the admin API, runs the IDLE probe and then the SELECT probe, and stops the platform.
#
#   bench/delivery/e2e.sh
#   RATE=100 DURATION=60 WARMUP=15 USERS=50 PROBES="idle select" POLL_MS=10 bench/delivery/e2e.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RATE="${RATE:-100}"
DURATION="${DURATION:-60}"
WARMUP="${WARMUP:-15}"
USERS="${USERS:-50}"
PROBES="${PROBES:-idle select}"
POLL_MS="${POLL_MS:-10}"
DOMAIN=e2e-bench.test
PASSWORD=Bench-pass-1234
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-e2e-bench.XXXXXX)"
MP="$ROOT/bin/mailplatform"
cleanup() {
  "$MP" down >/dev/null 2>&1 || true
  rm -rf "$MAIL_DATA_DIR"
}
trap cleanup EXIT

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory:  $(free -m | awk '/^Mem:/ {print $2 " MiB total, " $7 " MiB available"}')"
echo "java:    $(java -version 2>&1 | head -1)"
echo "load:    $(uptime)"
echo

"$MP" up >/dev/null
echo "== platform up ($MAIL_DATA_DIR)"
# the admin API directly (README's example): one mailctl JVM per account would take minutes
TOKEN="$(curl -sf -d grant_type=password -d client_id=mailctl -d "username=${MAIL_ADMIN_USER:-admin}" \
  -d "password=${MAIL_ADMIN_PASSWORD:-admin}" http://127.0.0.1:8180/realms/mail/protocol/openid-connect/token \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
api() { curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:8081/api/v1/$1"; }
api domains "{\"name\":\"$DOMAIN\"}"
for i in $(seq 1 "$USERS"); do
  api accounts "{\"address\":\"user$i@$DOMAIN\",\"password\":\"$PASSWORD\"}"
done
echo "== $USERS accounts created"
# the gateway and the workers follow directory.changes with a 500 ms poll
sleep 3
for probe in $PROBES; do
  echo "== $probe probe: $RATE msgs/s for $DURATION s after $WARMUP s of warm-up, $USERS accounts, load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx128m "$ROOT/bench/delivery/EndToEnd.java" 2525 2993 "$DOMAIN" "$USERS" "$PASSWORD" "$RATE" "$DURATION" \
    "$WARMUP" "$probe" "$POLL_MS"
done
echo "load after the run: $(uptime)"
