#!/usr/bin/env bash
# End-to-end check of outbound-relay's promise that a crash loses nothing: mail submitted by an authenticated user
# to another domain is queued by the relay while that domain's server is down; the relay is killed with kill -9
# mid-queue; the receiver comes up; a new relay copy takes over the lost leases and delivers every message (a
# duplicate attempt is allowed, a loss is not). The other domain is a small SMTP receiver on loopback
# (e2e/lib/smtp-receiver.py), reached through the relay's static routing table. Then a third-party receiver, Postfix's
# smtp-sink, gets a message for a third domain, and dkimpy (not our verifier) checks its DKIM signatures against the
# DNS records the directory publishes. Needs curl, python3, swaks, postfix (smtp-sink), python3-dkim and python3-nacl.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-relay-e2e.XXXXXX)"
export MAILCTL_CONFIG="$MAIL_DATA_DIR/mailctl"
MP="$ROOT/bin/mailplatform"
CTL="$ROOT/bin/mailctl"
COUNT=${RELAY_E2E_MESSAGES:-20}
RECEIVED="$MAIL_DATA_DIR/received"
RELAY_PID=""
RECEIVER_PID=""
SINK_PID=""
# smtp-sink drops root to nobody, who cannot enter the private data directory: its dumps go to a directory of their own
SINK_DIR="$(mktemp -d /tmp/relay-e2e-sink.XXXXXX)"
chmod 777 "$SINK_DIR"
. "$ROOT/e2e/lib/fail.sh"
. "$ROOT/e2e/lib/platform-env.sh"
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    for f in "$MAIL_DATA_DIR"/logs/relay-*.log; do
      [ -f "$f" ] && { echo "---- last lines of $f" >&2; grep -vE "^\s+at " "$f" | tail -25 >&2; }
    done
  fi
  [ -n "$RELAY_PID" ] && { kill -9 "$RELAY_PID"; wait "$RELAY_PID"; } 2>/dev/null || true
  [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2>/dev/null || true
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  rm -rf "$SINK_DIR"
  "$MP" down >/dev/null 2>&1 || true
  rm -rf "$MAIL_DATA_DIR"
}
trap cleanup EXIT
command -v swaks >/dev/null || fail "swaks is not installed (apt-get install swaks)"
SMTP_SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
[ -x "$SMTP_SINK" ] || fail "smtp-sink is not installed (apt-get install postfix)"
/usr/bin/python3 -c 'import dkim, nacl' 2>/dev/null || fail "dkimpy is not installed (apt-get install python3-dkim python3-nacl)"

"$MP" up >/dev/null
echo "== platform up"
echo "${MAIL_ADMIN_PASSWORD:-admin}" | "$CTL" login -u "${MAIL_ADMIN_USER:-admin}" --password-stdin >/dev/null
"$CTL" domain create relay-e2e.test >/dev/null
echo "Finn-pass-1234" | "$CTL" account create finn@relay-e2e.test --password-stdin >/dev/null

# the platform's relay knows no route to remote-e2e.test; our own copies below do
kill -9 "$(sed -n 's/^outbound-relay\.pid=//p' "$MAIL_DATA_DIR/state.properties")"
start_relay() {
  env $(platform_env) java -Xmx192m -XX:+UseSerialGC -Djava.io.tmpdir="$MAIL_DATA_DIR" \
    -Dmail.relay.routes.\"remote-e2e.test\"=127.0.0.1:2626 -Dmail.relay.routes.\"sink-e2e.test\"=127.0.0.1:2727 \
    -Dmail.relay.backoff=3s,3s -Dmail.relay.lease=15s \
    -Dmail.relay.poll-interval=500ms -Dmail.relay.timeouts.connect=2s \
    -jar "$ROOT/outbound-relay/target/quarkus-app/quarkus-run.jar" >"$MAIL_DATA_DIR/logs/relay-$1.log" 2>&1 &
  RELAY_PID=$!
  for _ in $(seq 1 180); do
    curl -sf http://127.0.0.1:8087/q/health/ready >/dev/null 2>&1 && return 0
    kill -0 "$RELAY_PID" 2>/dev/null || fail "relay copy $1 exited"
    sleep 1
  done
  fail "relay copy $1 did not become ready"
}
queue() { "$CTL" --json queue list 2>/dev/null || echo "[]"; }
start_relay 1
echo "== relay copy 1 up (routes remote-e2e.test to 127.0.0.1:2626, where nothing listens yet)"

echo "== $COUNT messages submitted on 2587 to remote-e2e.test"
for i in $(seq 1 "$COUNT"); do
  out=$(swaks --server 127.0.0.1 --port 2587 --tls --auth PLAIN --auth-user finn@relay-e2e.test \
        --auth-password Finn-pass-1234 --from finn@relay-e2e.test --to "r$i@remote-e2e.test" \
        --header "Subject: relay-e2e $i" 2>&1) || { echo "$out" | tail -5; fail "submission $i refused"; }
done

# every message queued and at least tried once against the dead receiver
for _ in $(seq 1 180); do
  deferred=$(queue | python3 -c 'import json,sys; q=json.load(sys.stdin); print(sum(1 for e in q if e.get("attempts",0)>=1 and e.get("state")!="done"))')
  [ "$deferred" -ge "$COUNT" ] && break
  sleep 1
done
[ "$deferred" -ge "$COUNT" ] || fail "only $deferred of $COUNT messages were queued and deferred"
echo "   ok: $deferred messages deferred (receiver down)"

echo "== kill -9 of relay copy 1 mid-queue; the receiver comes up; relay copy 2 takes over"
kill -9 "$RELAY_PID"
wait "$RELAY_PID" 2>/dev/null || true
mkdir -p "$RECEIVED"
python3 "$ROOT/e2e/lib/smtp-receiver.py" "$RECEIVED" 2626 >"$MAIL_DATA_DIR/logs/receiver.log" 2>&1 &
RECEIVER_PID=$!
start_relay 2

for _ in $(seq 1 240); do
  got=$(grep -h "^Subject: relay-e2e " "$RECEIVED"/*.eml 2>/dev/null | sort -u | wc -l)
  [ "$got" -ge "$COUNT" ] && break
  sleep 1
done
[ "$got" -ge "$COUNT" ] || fail "only $got of $COUNT distinct messages arrived after the restart"
copies=$(ls "$RECEIVED" | wc -l)
echo "   ok: all $COUNT messages arrived ($copies copies received: duplicates allowed, losses not)"
grep -l "^DKIM-Signature:" "$RECEIVED"/*.eml >/dev/null || fail "the messages arrived without a DKIM signature"
echo "   ok: signed with the domain's DKIM key"

for _ in $(seq 1 60); do
  open=$(queue | python3 -c 'import json,sys; print(sum(1 for e in json.load(sys.stdin) if e.get("state")!="done"))')
  [ "$open" -eq 0 ] && break
  sleep 1
done
[ "$open" -eq 0 ] || fail "$open queue entries are not done"
echo "   ok: the queue drained"

echo "== a third-party receiver: Postfix's smtp-sink for sink-e2e.test, DKIM checked by dkimpy"
sink_user=""
[ "$(id -u)" -eq 0 ] && sink_user="-u nobody"
# shellcheck disable=SC2086
"$SMTP_SINK" $sink_user -d "$SINK_DIR/%M." 127.0.0.1:2727 10 >"$MAIL_DATA_DIR/logs/smtp-sink.log" 2>&1 &
SINK_PID=$!
sleep 1
kill -0 "$SINK_PID" 2>/dev/null || fail "smtp-sink did not start: $(cat "$MAIL_DATA_DIR/logs/smtp-sink.log")"
out=$(swaks --server 127.0.0.1 --port 2587 --tls --auth PLAIN --auth-user finn@relay-e2e.test \
      --auth-password Finn-pass-1234 --from finn@relay-e2e.test --to "someone@sink-e2e.test" \
      --header "Subject: relay-e2e to a third party" 2>&1) || { echo "$out" | tail -5; fail "submission to sink-e2e.test refused"; }
dump=""
for _ in $(seq 1 90); do
  dump=$(grep -l "^Subject: relay-e2e to a third party" "$SINK_DIR"/* 2>/dev/null | head -1 || true)
  [ -n "$dump" ] && break
  sleep 1
done
[ -n "$dump" ] || fail "smtp-sink received nothing for someone@sink-e2e.test"
grep -q "^X-Rcpt-Args: <someone@sink-e2e.test>" "$dump" || fail "smtp-sink's envelope does not name someone@sink-e2e.test"
"$CTL" --json dns relay-e2e.test >"$MAIL_DATA_DIR/dns.json" || fail "mailctl dns relay-e2e.test failed"
verdict=$(/usr/bin/python3 "$ROOT/e2e/lib/dkim-verify.py" "$dump" "$MAIL_DATA_DIR/dns.json") \
  || { echo "$verdict" >&2; fail "dkimpy does not verify the relay's DKIM signatures"; }
echo "$verdict" | sed 's/^/   dkimpy: /'
echo "   ok: smtp-sink received it, every DKIM signature verifies with dkimpy"
echo "PASS: outbound-relay end to end"
