#!/usr/bin/env bash
# End-to-end check of README's run command, as a newcomer uses it: bin/mailplatform up / status / down on a fresh
# data directory, a second `up` that must not start a second copy, a restart that keeps Keycloak's accounts, and a
# port already in use that must fail with one clear line and leave nothing running. Uses the fixed local ports.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-e2e.XXXXXX)"
MP="$ROOT/bin/mailplatform"
. "$ROOT/e2e/lib/fail.sh"
cleanup() { "$MP" down >/dev/null 2>&1 || true; [ -n "${blocker:-}" ] && kill "$blocker" 2>/dev/null || true; rm -rf "$MAIL_DATA_DIR"; }
trap cleanup EXIT

running_pids() {
  grep -E '\.pid=|^pid=' "$MAIL_DATA_DIR/state.properties" 2>/dev/null | cut -d= -f2 | while read -r p; do
    kill -0 "$p" 2>/dev/null && echo "$p"; done || true
}

echo "== up (fresh data directory)"
start=$(date +%s)
"$MP" up | tee /tmp/e2e-up.log
grep -q "mailplatform is up" /tmp/e2e-up.log || fail "up did not report success"
grep -q "user: admin" /tmp/e2e-up.log || fail "up did not print the admin credentials"
echo "   took $(( $(date +%s) - start )) s"

echo "== status"
"$MP" status | tee /tmp/e2e-status.log || fail "status not green"
[ "$(grep -c 'live=UP ready=UP' /tmp/e2e-status.log)" -eq 7 ] || fail "not all seven services are live and ready"
for port in 8081 8082 8083 8084 8085 8086 8087; do
  # output captured first: with pipefail, `curl | grep -q` fails whenever grep stops reading before curl is done
  ready=$(curl -sf "http://127.0.0.1:$port/q/health/ready") || fail "service on $port not ready"
  grep -q '"status": *"UP"' <<<"$ready" || fail "service on $port not ready"
  metrics=$(curl -sf "http://127.0.0.1:$port/q/metrics") || fail "service on $port has no metrics endpoint"
  grep -q 'mail_dependency_up' <<<"$metrics" || fail "service on $port exports no mail_dependency_up metric"
done

echo "== up again does not start a second copy"
before="$(running_pids | sort | tr '\n' ' ')"
second=$("$MP" up)
grep -q "already running" <<<"$second" || fail "second up did not say it is already running"
after="$(running_pids | sort | tr '\n' ' ')"
[ "$before" = "$after" ] || fail "second up changed the running processes"

echo "== create an account in Keycloak through the services' client"
token=$(curl -sf -d grant_type=client_credentials -d client_id=mail-services -d client_secret=local-dev-services-secret \
  http://127.0.0.1:8180/realms/mail/protocol/openid-connect/token | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"username":"e2e@example.test","email":"e2e@example.test","firstName":"E","lastName":"Two","enabled":true,"credentials":[{"type":"password","value":"e2e-pass-1","temporary":false}]}' \
  http://127.0.0.1:8180/admin/realms/mail/users)
[ "$code" = 201 ] || fail "creating a user answered $code"

echo "== down stops everything"
pids="$(running_pids)"
"$MP" down
sleep 1
for p in $pids; do kill -0 "$p" 2>/dev/null && fail "process $p still running after down"; done
"$MP" status >/dev/null 2>&1 && fail "status says running after down"

echo "== restart keeps the data"
start=$(date +%s)
"$MP" up >/dev/null
echo "   warm start took $(( $(date +%s) - start )) s"
grant=$(curl -sf -d grant_type=password -d client_id=mailctl -d username=e2e@example.test -d password=e2e-pass-1 \
  http://127.0.0.1:8180/realms/mail/protocol/openid-connect/token) || fail "account lost across restart"
grep -q access_token <<<"$grant" || fail "account lost across restart"
"$MP" down >/dev/null

echo "== a port in use fails with one clear line and leaves nothing running"
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",9092)); s.listen(); time.sleep(120)' &
blocker=$!
sleep 1
if "$MP" up >/tmp/e2e-busy.log 2>&1; then fail "up succeeded with port 9092 taken"; fi
grep -q "port 9092 (kafka) is already in use" /tmp/e2e-busy.log || { cat /tmp/e2e-busy.log; fail "no clear error line"; }
kill "$blocker"; blocker=""
[ -z "$(running_pids)" ] || fail "processes left running after a failed start"

echo "PASS platform lifecycle"
