#!/usr/bin/env bash
# End-to-end check of directory-service and mailctl against the local platform started by README's run command:
# mailctl login, a domain with DNS records, an account, an alias and a group, the admin API's refusals (401, 403,
# 409, 400 as problem+json), client autoconfiguration documents, and finally a message to the new account and to its
# alias accepted by the SMTP gateway on port 2525 (the directory part of the first mail path), plus `mailctl check`
# whose every row (SMTP, IMAP, POP3: send to self, read back) must pass. Also the internal lookup API the
# gateway falls back on while its directory cache loads, and a second gateway run without its directory cache that
# answers RCPT through that API. Needs curl, swaks and python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-directory-e2e.XXXXXX)"
export MAILCTL_CONFIG="$MAIL_DATA_DIR/mailctl"
MP="$ROOT/bin/mailplatform"
CTL="$ROOT/bin/mailctl"
API=http://127.0.0.1:8081
. "$ROOT/e2e/lib/fail.sh"
# reads all of its input before matching: with pipefail, `cmd | grep -q` fails whenever grep stops reading first
contains() { local all; all=$(cat); grep -q "$@" <<<"$all"; }
cleanup() { "$MP" down >/dev/null 2>&1 || true; rm -rf "$MAIL_DATA_DIR"; }
trap cleanup EXIT
command -v swaks >/dev/null || fail "swaks is not installed (apt-get install swaks)"

"$MP" up >/dev/null
echo "== platform up"

echo "== mailctl login (password grant, client mailctl)"
echo "${MAIL_ADMIN_PASSWORD:-admin}" | "$CTL" login -u "${MAIL_ADMIN_USER:-admin}" --password-stdin >/dev/null
TOKEN=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["accessToken"])' "$MAILCTL_CONFIG/token.json")

echo "== admin API refusals"
code=$(curl -s -o /dev/null -w '%{http_code}' $API/api/v1/domains)
[ "$code" = 401 ] || fail "no token: expected 401, got $code"
body=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"bad_name"}' $API/api/v1/domains)
grep -q '"field":"name"' <<<"$body" || fail "invalid domain: expected a problem naming the field, got $body"
echo "   ok: 401 without a token, 400 problem+json naming the field"

echo "== domain, account, alias, group"
"$CTL" domain create dir-e2e.test >/dev/null
set +e; "$CTL" domain create DIR-E2E.test >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "creating an existing domain: expected exit code 1, got $rc"
echo "Dana-pass-1234" | "$CTL" account create dana@dir-e2e.test --password-stdin --name "Dana Scully" >/dev/null
"$CTL" alias create info@dir-e2e.test dana@dir-e2e.test >/dev/null
"$CTL" group create team@dir-e2e.test dana@dir-e2e.test partner@remote.example >/dev/null
"$CTL" account list --domain dir-e2e.test | contains "dana@dir-e2e.test" || fail "account not listed"
"$CTL" --json group show team@dir-e2e.test | contains "partner@remote.example" || fail "group member missing"
set +e; "$CTL" alias create dana@dir-e2e.test info@dir-e2e.test >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "an account address reused as alias: expected exit code 1, got $rc"
echo "   ok: domain, account, alias, group; duplicates refused"

echo "== DNS records"
zone=$("$CTL" dns dir-e2e.test --zone)
for want in "IN	MX" "v=spf1" "_domainkey.dir-e2e.test." "v=DMARC1" "_imaps._tcp.dir-e2e.test." \
            "_submissions._tcp.dir-e2e.test." "_pop3s._tcp.dir-e2e.test." "autoconfig.dir-e2e.test."; do
  grep -qF "$want" <<<"$zone" || fail "zone fragment lacks $want"
done
echo "   ok: MX, SPF, DKIM, DMARC, SRV, autoconfig"

echo "== client autoconfiguration"
curl -sf "$API/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=dana@dir-e2e.test" \
  | python3 -c 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.stdin).getroot(); assert r.tag=="clientConfig"; assert r.find("emailProvider/incomingServer/hostname") is not None' \
  || fail "Thunderbird autoconfig"
curl -sf -H 'Content-Type: text/xml' -d '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>dana@dir-e2e.test</EMailAddress></Request></Autodiscover>' \
  $API/autodiscover/autodiscover.xml | contains "<LoginName>dana@dir-e2e.test</LoginName>" || fail "Outlook autodiscover"
curl -sf "$API/apple/mail.mobileconfig?emailaddress=dana@dir-e2e.test" | contains "com.apple.mail.managed" || fail "Apple profile"
echo "   ok: Thunderbird, Outlook, Apple"

echo "== the gateway accepts mail for the new addresses (directory.changes reached its cache)"
accepted=""
for i in $(seq 1 30); do
  out=$(swaks --server 127.0.0.1 --port 2525 --from sender@example.net --to dana@dir-e2e.test \
        --header "Subject: directory e2e" 2>&1 || true)
  if grep -qE '^<[-~] +250 2\.0\.0 Ok: queued as' <<<"$out"; then accepted=yes; break; fi
  sleep 1
done
[ -n "$accepted" ] || { echo "$out" | tail -10; fail "the gateway did not accept mail for dana@dir-e2e.test"; }
swaks --server 127.0.0.1 --port 2525 --from sender@example.net --to info@dir-e2e.test 2>&1 | contains -E '^<[-~] +250 ' \
  || fail "the gateway did not accept mail for the alias"
out=$(swaks --server 127.0.0.1 --port 2525 --from sender@example.net --to nobody@dir-e2e.test 2>&1 || true)
grep -qE '^<[-~*]+ +550' <<<"$out" || fail "unknown address in the new domain was not refused"
echo "   ok: account and alias accepted, unknown address refused"

echo "== internal lookup API (realm role mail-service; what the gateway asks while its directory cache loads)"
KC=http://127.0.0.1:8180/realms/mail/protocol/openid-connect/token
SVC=$(curl -sf -d grant_type=client_credentials -d client_id=mail-services \
  -d client_secret="${MAIL_KEYCLOAK_CLIENT_SECRET:-local-dev-services-secret}" $KC | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
resolve() { curl -sf -H "Authorization: Bearer $1" "$API/internal/v1/resolve?address=$2" | python3 -c 'import json,sys;print(json.load(sys.stdin)["result"])'; }
[ "$(resolve "$SVC" dana@dir-e2e.test)" = DELIVERABLE ] || fail "lookup: dana is not DELIVERABLE"
[ "$(resolve "$SVC" info@dir-e2e.test)" = DELIVERABLE ] || fail "lookup: the alias is not DELIVERABLE"
[ "$(resolve "$SVC" team@dir-e2e.test)" = DELIVERABLE ] || fail "lookup: the group is not DELIVERABLE"
[ "$(resolve "$SVC" nobody@dir-e2e.test)" = UNKNOWN ] || fail "lookup: nobody is not UNKNOWN"
[ "$(resolve "$SVC" x@remote.example)" = NOT_LOCAL ] || fail "lookup: a remote address is not NOT_LOCAL"
USER_TOKEN=$(curl -sf -d grant_type=password -d client_id=mailctl -d username=dana@dir-e2e.test -d password=Dana-pass-1234 $KC \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $USER_TOKEN" "$API/internal/v1/resolve?address=dana@dir-e2e.test")
[ "$code" = 403 ] || fail "lookup with a mail user's token: expected 403, got $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$API/internal/v1/resolve?address=dana@dir-e2e.test")
[ "$code" = 401 ] || fail "lookup without a token: expected 401, got $code"
echo "   ok: service token answered, mail user 403, no token 401"

echo "== a second gateway without a directory cache checks RCPT through directory-service"
# the same settings the platform launcher hands its services
. "$ROOT/e2e/lib/platform-env.sh"
GW2_LOG="$MAIL_DATA_DIR/logs/smtp-gateway-fallback.log"
env $(platform_env) \
java -Xmx192m -XX:+UseSerialGC -Dquarkus.http.port=8092 -Dmail.smtp.mx.port=2526 -Dmail.smtp.submission.enabled=false \
  -Dmail.smtp.submissions.enabled=false -Dmail.smtp.directory.local-cache=false -Dmail.smtp.data-dir="$MAIL_DATA_DIR/gw2" \
  -Djava.io.tmpdir="$MAIL_DATA_DIR" -jar "$ROOT/smtp-gateway/target/quarkus-app/quarkus-run.jar" >"$GW2_LOG" 2>&1 &
GW2=$!
stop_gw2() { kill "$GW2" 2>/dev/null || true; wait "$GW2" 2>/dev/null || true; }
trap 'stop_gw2; cleanup' EXIT
for i in $(seq 1 180); do
  (exec 3<>/dev/tcp/127.0.0.1/2526) 2>/dev/null && break
  kill -0 "$GW2" 2>/dev/null || { tail -20 "$GW2_LOG"; fail "the second gateway exited"; }
  sleep 1
done
out=$(swaks --server 127.0.0.1 --port 2526 --from sender@example.net --to dana@dir-e2e.test 2>&1 || true)
grep -qE '^<[-~] +250 2\.0\.0 Ok: queued as' <<<"$out" || { echo "$out" | tail -12; tail -30 "$GW2_LOG"; fail "fallback gateway: mail for dana not accepted"; }
out=$(swaks --server 127.0.0.1 --port 2526 --from sender@example.net --to nobody@dir-e2e.test 2>&1 || true)
grep -qE '^<[-~*]+ +550 5\.1\.1' <<<"$out" || { echo "$out" | tail -8; fail "fallback gateway: unknown address not refused with 550 5.1.1"; }
grep -q "directory cache off" "$GW2_LOG" || { tail -30 "$GW2_LOG"; fail "the second gateway did not run without its cache"; }
stop_gw2
trap cleanup EXIT
echo "   ok: accepted dana, refused nobody (550 5.1.1) through /internal/v1/resolve"

echo "== disabling the account refuses its mail"
"$CTL" account disable dana@dir-e2e.test >/dev/null
refused=""
for i in $(seq 1 30); do
  out=$(swaks --server 127.0.0.1 --port 2525 --from sender@example.net --to dana@dir-e2e.test 2>&1 || true)
  if grep -qE '^<[-~*]+ +550' <<<"$out"; then refused=yes; break; fi
  sleep 1
done
[ -n "$refused" ] || fail "mail for the disabled account was still accepted"
"$CTL" account enable dana@dir-e2e.test >/dev/null
echo "   ok"

echo "== mailctl check (every row must pass: the message sent to self is read back over IMAPS and POP3S)"
set +e
report=$(echo "Dana-pass-1234" | "$CTL" check -u dana@dir-e2e.test --password-stdin --insecure --wait 5 2>&1)
rc=$?
set -e
echo "$report"
for row in "SMTP MX 2525" "SMTP submission 2587" "SMTP submissions 2465" "IMAP 2143" "IMAPS 2993 login, read back" \
           "POP3 2110" "POP3S 2995 login, read back"; do
  grep -E "^$row.*PASS" <<<"$report" >/dev/null || fail "mailctl check: '$row' did not pass"
done
[ "$rc" -eq 0 ] || fail "mailctl check exited $rc"
grep -q "all 7 checks passed" <<<"$report" || fail "mailctl check did not report all 7 checks passed"
echo "PASS directory-service e2e"
