#!/usr/bin/env bash
# End-to-end delivery latency on the whole local platform, as the delivery-worker issue defines it: from the SMTP
# gateway's 250 to the message visible to an IMAP client, at an offered load of 100 messages/s (bench/delivery/
# EndToEnd.java says exactly how). Not part of the test suite or CI.
#
# It starts the platform (README's run command, `bin/mailplatform up`) with its data in a temporary directory, creates
# a domain and USERS accounts through the admin API, runs each probe at each rate, and stops the platform.
#
# The IDLE probe is the measure: its EXISTS comes after the message is written (the worker announces it only then), so
# it bounds from above when a SELECT could first see the message. The SELECT probe (PROBES=select) repeats SELECT while
# a message is awaited; on the local MongoDB-compatible server its own SELECTs, each reading every message document
# of the mailbox, cost more than the mail does (docs/benchmarks.md), so it measures mostly itself.
#
#   bench/delivery/e2e.sh
#   RATES="60 80 100" DURATION=60 WARMUP=15 USERS=200 PROBES="idle" POLL_MS=10 bench/delivery/e2e.sh
# Each rate and probe is a run of its own on the same platform; the accounts keep the earlier runs' mail.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RATES="${RATES:-${RATE:-100}}"
DURATION="${DURATION:-60}"
WARMUP="${WARMUP:-15}"
USERS="${USERS:-200}"
PROBES="${PROBES:-idle}"
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
# EndToEnd trusts the platform's self-signed certificate through test-support's TrustingTls (built with the platform)
[ -f "$ROOT/test-support/target/classes/mail/testsupport/TrustingTls.class" ] \
  || { echo "test-support is not built: ./mvnw -q install -DskipTests" >&2; exit 2; }
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
cpu_all() { # the platform's JVMs, user+system CPU seconds so far: "name seconds" per line
  for p in $(pgrep java); do
    n="$(tr '\0' ' ' < "/proc/$p/cmdline" | grep -oE '[a-z0-9-]+/target/quarkus-app|mail\.devinfra\.[A-Za-z0-9]+Main|keycloak' | head -1)"
    [ -n "$n" ] && echo "${n%%/*} $(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$p/stat")"
  done | sort
}
for rate in $RATES; do
  for probe in $PROBES; do
    echo "== $probe probe: $rate msgs/s for $DURATION s after $WARMUP s of warm-up, $USERS accounts, load $(cut -d' ' -f1-3 /proc/loadavg)"
    before="$(cpu_all)"
    java -Xmx128m -cp "$ROOT/test-support/target/classes" "$ROOT/bench/delivery/EndToEnd.java" 2525 2993 "$DOMAIN" "$USERS" "$PASSWORD" "$rate" "$DURATION" \
      "$WARMUP" "$probe" "$POLL_MS"
    echo "cpu seconds during the run: $(join <(echo "$before") <(cpu_all) | awk '$3 - $2 >= 0.5 {printf "%s %.1f, ", $1, $3 - $2}')"
  done
done
echo "load after the run: $(uptime)"
