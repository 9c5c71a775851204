#!/usr/bin/env bash
# End-to-end check of the SMTP gateway with real client programs (swaks, curl) against the local platform started by
# README's run command: MX delivery with and without STARTTLS, relay and unknown-user refusals, submission with AUTH
# over STARTTLS and implicit TLS, AUTH refused before TLS, bare-LF smuggling refused, and the drain on SIGTERM.
# Stored messages are counted in the object store's data directory. Uses the fixed local ports; needs swaks and curl
# (.ci/run installs swaks).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-smtp-e2e.XXXXXX)"
export MAILCTL_CONFIG="$MAIL_DATA_DIR/mailctl"
MP="$ROOT/bin/mailplatform"
CTL="$ROOT/bin/mailctl"
. "$ROOT/e2e/lib/fail.sh"
cleanup() {
  "$MP" down >/dev/null 2>&1 || true
  [ -n "${DNS_PID:-}" ] && kill "$DNS_PID" 2>/dev/null
  rm -rf "$MAIL_DATA_DIR"
}
trap cleanup EXIT
command -v swaks >/dev/null || fail "swaks is not installed (apt-get install swaks)"

# The relay resolves remote domains through a stub that answers NXDOMAIN for every name, so the remote recipient
# below fails the same way on every machine, whatever the machine's own resolver does (answers, times out, absent).
mkdir -p "$MAIL_DATA_DIR/logs"
DNS_PORT=2553
python3 "$ROOT/e2e/lib/dns-stub.py" "$DNS_PORT" >"$MAIL_DATA_DIR/logs/dns-stub.log" 2>&1 &
DNS_PID=$!
export MAIL_RELAY_DNS_RESOLVER="127.0.0.1:$DNS_PORT"

"$MP" up >/dev/null
echo "== platform up"

echo "== directory: domain e2e.test with user1..3 (directory.changes), user1 in Keycloak with role mail-user"
java -cp "$(cat "$ROOT/dev-infra/target/classpath.txt")" "$ROOT/bench/smtp/DirectorySeed.java" 127.0.0.1:9092 e2e.test 3 >/dev/null
KC=http://127.0.0.1:8180
tok=$(curl -sf -d grant_type=client_credentials -d client_id=mail-services -d client_secret=local-dev-services-secret \
  $KC/realms/mail/protocol/openid-connect/token | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
  -d '{"username":"user1@e2e.test","email":"user1@e2e.test","firstName":"User","lastName":"One","enabled":true,"emailVerified":true,"credentials":[{"type":"password","value":"User1-pass","temporary":false}]}' \
  $KC/admin/realms/mail/users
uid=$(curl -sf -H "Authorization: Bearer $tok" "$KC/admin/realms/mail/users?exact=true&username=user1@e2e.test" | python3 -c 'import json,sys;print(json.load(sys.stdin)[0]["id"])')
role=$(curl -sf -H "Authorization: Bearer $tok" $KC/admin/realms/mail/roles/mail-user)
curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d "[$role]" \
  "$KC/admin/realms/mail/users/$uid/role-mappings/realm"
sleep 3

stored() { find "$MAIL_DATA_DIR/s3/mail-messages" -type f 2>/dev/null | wc -l; }
expect() { # expect <code> <description> swaks-args...
  local code="$1" what="$2"; shift 2
  local out pattern
  out=$(swaks --server 127.0.0.1 "$@" 2>&1 || true)
  # a 250 must be the answer to the message itself, not to EHLO
  if [ "$code" = 250 ]; then pattern='^<[-~] +250 2\.0\.0 Ok: queued as'; else pattern="^<[-~*]+ +$code"; fi
  grep -qE "$pattern" <<<"$out" || { echo "$out" | tail -15; fail "$what: expected a $code reply"; }
  echo "   ok: $what ($code)"
}

before=$(stored)
echo "== MX"
expect 250 "plain delivery" --port 2525 --from sender@example.net --to user2@e2e.test --header "Subject: e2e plain"
expect 250 "delivery over STARTTLS" --port 2525 --tls --from sender@example.net --to user3@e2e.test --header "Subject: e2e tls"
expect 554 "relay refused" --port 2525 --from sender@example.net --to someone@elsewhere.example
expect 550 "unknown user refused" --port 2525 --from sender@example.net --to nobody@e2e.test
echo "== submission"
# without TLS the submission port offers no AUTH at all, and MAIL is refused
expect 530 "MAIL refused on submission without TLS and AUTH" --port 2587 --from user1@e2e.test --to user2@e2e.test
expect 250 "AUTH PLAIN over STARTTLS" --port 2587 --tls --from user1@e2e.test --to user2@e2e.test --auth PLAIN \
  --auth-user user1@e2e.test --auth-password User1-pass --header "Subject: e2e submission"
expect 535 "wrong password" --port 2587 --tls --from user1@e2e.test --to user2@e2e.test --auth LOGIN \
  --auth-user user1@e2e.test --auth-password wrong
expect 553 "someone else's sender" --port 2587 --tls --from user2@e2e.test --to user3@e2e.test --auth PLAIN \
  --auth-user user1@e2e.test --auth-password User1-pass
echo "== implicit TLS with curl"
printf 'From: user1@e2e.test\r\nTo: friend@elsewhere.example\r\nSubject: e2e curl\r\n\r\nsent by curl\r\n' > "$MAIL_DATA_DIR/curl.eml"
curl -sS --insecure --ssl-reqd "smtps://127.0.0.1:2465" --user 'user1@e2e.test:User1-pass' \
  --mail-from user1@e2e.test --mail-rcpt friend@elsewhere.example --upload-file "$MAIL_DATA_DIR/curl.eml" \
  || fail "curl submission over implicit TLS failed"
echo "   ok: curl over implicit TLS to a remote recipient"
echo "== smuggling"
reply=$(python3 -c '
import socket,sys,time
s=socket.create_connection(("127.0.0.1",2525)); s.settimeout(10)
s.sendall(b"EHLO s.example.net\r\nMAIL FROM:<s@example.net>\r\nRCPT TO:<user2@e2e.test>\r\nDATA\r\n"); time.sleep(1)
s.sendall(b"Subject: x\r\n\r\nhi\n.\nMAIL FROM:<evil@example.net>\r\n.\r\nQUIT\r\n"); time.sleep(1)
print(s.recv(65536).decode())')
grep -q "^550 5.6.0" <<<"$reply" || { echo "$reply"; fail "bare LF was not refused"; }
echo "   ok: bare LF refused (550 5.6.0)"

echo "== the remote recipient reached the outbound relay, which bounced it"
# delivery-worker hands friend@elsewhere.example to the relay; the stub resolver says the domain does not exist, so
# the relay fails the recipient and sends user1 a DSN: a fifth stored message.
echo "${MAIL_ADMIN_PASSWORD:-admin}" | "$CTL" login -u "${MAIL_ADMIN_USER:-admin}" --password-stdin >/dev/null \
  || fail "mailctl login as the local admin failed"
rcpt_state=""
queue=""
for _ in $(seq 1 120); do
  queue=$("$CTL" --json queue list --recipient friend@elsewhere.example 2>&1 || true)
  rcpt_state=$(python3 -c '
import json,sys
q=json.loads(sys.argv[1])
tried=[r for e in q for r in e.get("recipients",[]) if r["address"]=="friend@elsewhere.example" and r.get("attempts",0)>=1]
print(tried[0]["state"] if tried else "")' "$queue" 2>/dev/null || true)
  [ -n "$rcpt_state" ] && break
  sleep 1
done
[ -n "$rcpt_state" ] || { echo "last queue listing: $queue" >&2; fail "the message to friend@elsewhere.example was not queued and tried by the relay"; }
[ "$rcpt_state" = failed ] || { echo "last queue listing: $queue" >&2; fail "friend@elsewhere.example is $rcpt_state, not failed (NXDOMAIN)"; }
grep -q "query elsewhere.example." "$MAIL_DATA_DIR/logs/dns-stub.log" || fail "the relay did not ask the stub resolver"
expected=5
echo "   ok: relay tried friend@elsewhere.example, recipient failed, DSN expected"
for _ in $(seq 1 60); do [ "$(( $(stored) - before ))" -ge "$expected" ] && break; sleep 1; done
sleep 2
after=$(stored)
[ "$((after - before))" -eq "$expected" ] || fail "expected $expected stored messages, found $((after - before))"

echo "== drain on SIGTERM: a message in DATA is accepted, a new client hears 421, readiness fails, the gateway exits"
GW_PID=$(sed -n 's/^smtp-gateway\.pid=//p' "$MAIL_DATA_DIR/state.properties")
[ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null || fail "no running smtp-gateway pid in the platform's state file"
python3 - "$GW_PID" <<'PY' || fail "the drain did not behave as docs/operations.md says"
import os, signal, socket, sys, time, urllib.error, urllib.request

pid = int(sys.argv[1])

def reply(f):
    lines = []
    while True:
        line = f.readline().decode()
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            return "".join(lines)

s = socket.create_connection(("127.0.0.1", 2525))
s.settimeout(60)
f = s.makefile("rb")
reply(f)
for cmd, code in ((b"EHLO drain.example.net", "250"), (b"MAIL FROM:<drain@example.net>", "250"),
                  (b"RCPT TO:<user2@e2e.test>", "250"), (b"DATA", "354")):
    s.sendall(cmd + b"\r\n")
    r = reply(f)
    assert r.startswith(code), "%s: %s" % (cmd, r)
s.sendall(b"Subject: e2e drain\r\n\r\nthe first half, before SIGTERM\r\n")
os.kill(pid, signal.SIGTERM)
time.sleep(2)
# without a shutdown delay (none is set locally) Quarkus closes its HTTP port at once; with one, readiness answers 503
# during the delay; either way a probe or a load balancer sees the gateway not ready
try:
    urllib.request.urlopen("http://127.0.0.1:8082/q/health/ready", timeout=5)
    sys.exit("readiness still UP during the drain")
except urllib.error.HTTPError as e:
    assert e.code == 503, "readiness during the drain: HTTP %d" % e.code
except urllib.error.URLError as e:
    assert isinstance(e.reason, ConnectionRefusedError), "readiness during the drain: %s" % e.reason
n = socket.create_connection(("127.0.0.1", 2525))
n.settimeout(10)
greeting = n.recv(1024).decode()
assert greeting.startswith("421 4.3.2"), "a new client during the drain got: " + greeting
n.close()
s.sendall(b"the second half, after SIGTERM\r\n.\r\n")
r = reply(f)
assert r.startswith("250"), "end of DATA during the drain: " + r
print("   ok: 250 for the message in DATA, 421 4.3.2 for a new client, readiness failing")
s.sendall(b"QUIT\r\n")
s.close()
PY
for _ in $(seq 1 60); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 1; done
kill -0 "$GW_PID" 2>/dev/null && fail "smtp-gateway still running 60 s after SIGTERM with its sessions closed"
echo "   ok: smtp-gateway exited after the drain"
for _ in $(seq 1 60); do [ "$(( $(stored) - after ))" -ge 1 ] && break; sleep 1; done
[ "$(( $(stored) - after ))" -eq 1 ] || fail "the message accepted during the drain was not stored ($(( $(stored) - after )) new)"
echo "   ok: the message accepted during the drain was delivered"
echo "PASS smtp-gateway e2e ($((after - before + 1)) messages stored)"
