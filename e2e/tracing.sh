#!/usr/bin/env bash
# One message's trace across the running local platform: tracing switched on by environment (as an operator would),
# exported by OTLP/HTTP to a loopback receiver (e2e/lib/otlp-sink.py). A message to a local user must show one trace
# with smtp-gateway's "smtp transaction" and, as its child, delivery-worker's "deliver mail.received"; a submission to
# a remote domain must continue into outbound-relay's "enqueue mail.outbound" and "smtp relay attempt" spans.
# Uses the fixed local ports; needs swaks.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-trace-e2e.XXXXXX)"
MP="$ROOT/bin/mailplatform"
. "$ROOT/e2e/lib/fail.sh"
cleanup() {
  "$MP" down >/dev/null 2>&1 || true
  [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null
  [ -n "${DNS_PID:-}" ] && kill "$DNS_PID" 2>/dev/null
  rm -rf "$MAIL_DATA_DIR"
}
trap cleanup EXIT
command -v swaks >/dev/null || fail "swaks is not installed (apt-get install swaks)"
mkdir -p "$MAIL_DATA_DIR/logs"
SPANS="$MAIL_DATA_DIR/spans.jsonl"
: > "$SPANS"
python3 "$ROOT/e2e/lib/otlp-sink.py" 4318 "$SPANS" >"$MAIL_DATA_DIR/logs/otlp-sink.log" 2>&1 &
SINK_PID=$!
python3 "$ROOT/e2e/lib/dns-stub.py" 2553 >"$MAIL_DATA_DIR/logs/dns-stub.log" 2>&1 &
DNS_PID=$!
export MAIL_RELAY_DNS_RESOLVER="127.0.0.1:2553"
export QUARKUS_OTEL_SDK_DISABLED=false
export QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
export QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
export QUARKUS_OTEL_BSP_SCHEDULE_DELAY=1s

"$MP" up >/dev/null
echo "== platform up, tracing to the loopback OTLP receiver"
java -cp "$(cat "$ROOT/dev-infra/target/classpath.txt")" "$ROOT/bench/smtp/DirectorySeed.java" 127.0.0.1:9092 trace.test 2 >/dev/null
KC=http://127.0.0.1:8180
tok=$(curl -sf -d grant_type=client_credentials -d client_id=mail-services -d client_secret=local-dev-services-secret \
  $KC/realms/mail/protocol/openid-connect/token | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
  -d '{"username":"user1@trace.test","email":"user1@trace.test","enabled":true,"emailVerified":true,"firstName":"U","lastName":"One","credentials":[{"type":"password","value":"User1-pass","temporary":false}]}' \
  $KC/admin/realms/mail/users
uid=$(curl -sf -H "Authorization: Bearer $tok" "$KC/admin/realms/mail/users?exact=true&username=user1@trace.test" | python3 -c 'import json,sys;print(json.load(sys.stdin)[0]["id"])')
role=$(curl -sf -H "Authorization: Bearer $tok" $KC/admin/realms/mail/roles/mail-user)
curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d "[$role]" \
  "$KC/admin/realms/mail/users/$uid/role-mappings/realm"
sleep 3

swaks --server 127.0.0.1 --port 2525 --from sender@example.net --to user2@trace.test --header "Subject: traced" >/dev/null \
  || fail "MX delivery to user2@trace.test failed"
swaks --server 127.0.0.1 --port 2587 --tls --auth PLAIN --auth-user user1@trace.test --auth-password User1-pass \
  --from user1@trace.test --to friend@elsewhere.example --header "Subject: traced out" >/dev/null \
  || fail "submission to friend@elsewhere.example failed"
echo "== two messages sent (MX to a local user, submission to a remote domain)"

check() {
  python3 - "$SPANS" <<'PY'
import collections, json, sys
spans = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by_trace = collections.defaultdict(list)
for s in spans:
    by_trace[s.get("trace")].append(s)
def has(trace, service, name):
    return [s for s in by_trace[trace] if s.get("service") == service and s.get("name") == name]
local = remote = None
for trace, ss in by_trace.items():
    smtp = has(trace, "smtp-gateway", "smtp transaction")
    deliver = has(trace, "delivery-worker", "deliver mail.received")
    if not smtp or not deliver:
        continue
    if not any(d.get("parent") == smtp[0]["span"] for d in deliver):
        continue
    enqueue = has(trace, "outbound-relay", "enqueue mail.outbound")
    attempt = has(trace, "outbound-relay", "smtp relay attempt")
    if enqueue and attempt and any(a.get("parent") == enqueue[0]["span"] for a in attempt):
        remote = trace
    elif not enqueue:
        local = trace
if local and remote:
    print("   ok: trace %s: smtp-gateway smtp transaction -> delivery-worker deliver mail.received" % local)
    print("   ok: trace %s: smtp-gateway -> delivery-worker -> outbound-relay enqueue -> smtp relay attempt" % remote)
    sys.exit(0)
print("spans so far: %d in %d traces; local %s, remote %s" % (len(spans), len(by_trace), local, remote))
sys.exit(1)
PY
}
ok=""
for _ in $(seq 1 60); do
  if out=$(check); then ok=1; break; fi
  sleep 2
done
[ -n "$ok" ] || { echo "$out"; sort "$SPANS" | uniq -c | head -40; fail "no complete trace across the services"; }
echo "$out"
echo "PASS tracing e2e"
