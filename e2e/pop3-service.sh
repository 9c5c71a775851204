#!/usr/bin/env bash
# End-to-end check of pop3-service with real clients against the local platform started by README's run command:
# messages sent to the SMTP gateway's MX port and stored by the delivery worker, then Python's poplib over POP3S
# (2995) and STLS (2110) with CAPA, STAT, LIST, UIDL, RETR, TOP, DELE, RSET and QUIT (USER refused before TLS, UIDLs
# stable across sessions, LIST sizes equal to what RETR sends), curl's pop3s:// (list, retrieve, UIDL), and fetchmail:
# `keep` with UIDL-based leave-on-server across two runs (the second fetches only the new mail), then
# download-and-delete, after which the maildrop is empty. Needs curl, python3, swaks and fetchmail.
# POP3_E2E_KEEP_PLATFORM=1 leaves the platform running afterwards (e.g. for bench/pop3/run.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-pop3-e2e.XXXXXX)"
export MAILCTL_CONFIG="$MAIL_DATA_DIR/mailctl"
MP="$ROOT/bin/mailplatform"
CTL="$ROOT/bin/mailctl"
WORK="$MAIL_DATA_DIR/e2e"
USER_ADDR=pat@pop3-e2e.test
USER_PASS=Pat-pass-1234
COUNT=${POP3_E2E_MESSAGES:-20}
. "$ROOT/e2e/lib/fail.sh"
contains() { local all; all=$(cat); grep -q "$@" <<<"$all"; }
cleanup() {
  if [ -n "${POP3_E2E_KEEP_PLATFORM:-}" ]; then
    # for bench/pop3/run.sh on the same platform; stop it with: MAIL_DATA_DIR=<dir> bin/mailplatform down
    echo "platform left running: MAIL_DATA_DIR=$MAIL_DATA_DIR"
    return
  fi
  "$MP" down >/dev/null 2>&1 || true; rm -rf "$MAIL_DATA_DIR"
}
command -v swaks >/dev/null || fail "swaks is not installed (apt-get install swaks)"
command -v fetchmail >/dev/null || fail "fetchmail is not installed (apt-get install fetchmail)"
command -v curl >/dev/null || fail "curl is not installed"
# the platform's ports are fixed: another platform (another e2e script, a developer's) must not be running
for port in 2525 2110 2995 8081 8180 9092 27017 9000; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    rm -rf "$MAIL_DATA_DIR"; fail "127.0.0.1:$port is in use: stop the other platform first"
  fi
done
trap cleanup EXIT
mkdir -p "$WORK"

"$MP" up >/dev/null
echo "== platform up"
echo "${MAIL_ADMIN_PASSWORD:-admin}" | "$CTL" login -u "${MAIL_ADMIN_USER:-admin}" --password-stdin >/dev/null
"$CTL" domain create pop3-e2e.test >/dev/null
echo "$USER_PASS" | "$CTL" account create "$USER_ADDR" --password-stdin --name "Pat" >/dev/null
echo "== account $USER_ADDR"

send() { # send <subject> <body>
  local out
  for i in $(seq 1 30); do
    out=$(swaks --server 127.0.0.1 --port 2525 --from sender@example.net --to "$USER_ADDR" \
          --header "Subject: $1" --body "$2" 2>&1 || true)
    grep -qE '^<[-~] +250 2\.0\.0 Ok: queued as' <<<"$out" && return 0
    sleep 1
  done
  echo "$out" | tail -8; fail "the gateway did not accept mail for $USER_ADDR"
}

cat >"$WORK/pop.py" <<'PY'
import poplib, ssl, sys, time
host, user, password = "127.0.0.1", sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE  # local self-signed

def pop3s():
    p = poplib.POP3_SSL(host, 2995, context=ctx, timeout=30)
    p.user(user); p.pass_(password)
    return p

def fail(msg):
    print("FAIL: " + msg, file=sys.stderr); sys.exit(1)

def body(lines):
    return b"".join(l + b"\r\n" for l in lines)

cmd = sys.argv[1]
if cmd == "count":          # count <user> <pass> <want> : wait until the maildrop holds <want> messages
    want, deadline = int(sys.argv[4]), time.time() + 120
    while True:
        try:
            p = pop3s(); n = p.stat()[0]; p.quit()
            if n == want: print(n); sys.exit(0)
        except poplib.error_proto as e:
            n = str(e)
        if time.time() > deadline: fail(f"maildrop holds {n}, expected {want}")
        time.sleep(1)
elif cmd == "stat":
    p = pop3s(); print(p.stat()[0]); p.quit()
elif cmd == "session":      # the RFC 1939 commands over POP3S and STLS
    want = int(sys.argv[4])
    # before TLS: STLS and no USER offered, USER refused
    p = poplib.POP3(host, 2110, timeout=30)
    caps = p.capa()
    if "STLS" not in caps or "USER" in caps: fail(f"CAPA before TLS: {caps}")
    try:
        p.user(user); fail("USER accepted before TLS")
    except poplib.error_proto as e:
        if b"[AUTH]" not in e.args[0]: fail(f"USER before TLS: {e}")
    p.stls(context=ctx)
    caps = p.capa()
    for c in ("TOP", "UIDL", "USER", "SASL", "RESP-CODES", "PIPELINING"):
        if c not in caps: fail(f"CAPA after STLS lacks {c}: {caps}")
    p.user(user); p.pass_(password)
    count, octets = p.stat()
    if count != want: fail(f"STLS session: STAT {count}, expected {want}")
    uidls_stls = p.uidl()[1]
    p.quit()

    p = pop3s()
    count, octets = p.stat()
    resp, listing, _ = p.list()
    sizes = {int(l.split()[0]): int(l.split()[1]) for l in listing}
    if len(sizes) != count or sum(sizes.values()) != octets: fail(f"LIST {sizes} does not add up to STAT {count} {octets}")
    uidls = p.uidl()[1]
    if uidls != uidls_stls: fail("UIDL differs between sessions")
    if len({l.split()[1] for l in uidls}) != count: fail("UIDLs are not unique")
    for n in range(1, count + 1):
        resp, lines, _ = p.retr(n)
        if len(body(lines)) != sizes[n]: fail(f"RETR {n}: {len(body(lines))} octets, LIST said {sizes[n]}")
        if not resp.startswith(b"+OK %d octets" % sizes[n]): fail(f"RETR {n} response {resp}")
        if not any(l.startswith(b"Subject: pop3 e2e") for l in lines): fail(f"RETR {n}: no Subject")
    resp, lines, _ = p.top(1, 0)
    if b"" not in lines or any(l.startswith(b"line") for l in lines): fail(f"TOP 1 0: {lines}")
    resp, lines, _ = p.top(1, 1)
    hdr_end = lines.index(b"")
    if len(lines) - hdr_end - 1 != 1: fail(f"TOP 1 1 sent {len(lines) - hdr_end - 1} body lines")
    if p.uidl(1).split()[2] != uidls[0].split()[1]: fail("UIDL 1 differs from the listing")
    try:
        p.retr(count + 1); fail("RETR past the end accepted")
    except poplib.error_proto:
        pass
    p.dele(1)
    try:
        p.retr(1); fail("RETR of a deleted message accepted")
    except poplib.error_proto:
        pass
    if p.stat()[0] != count - 1: fail("STAT after DELE")
    p.rset()
    if p.stat()[0] != count: fail("STAT after RSET")
    p.dele(1)
    p.quit()                 # UPDATE: message 1 is removed

    p = pop3s()
    if p.stat()[0] != count - 1: fail("message 1 not removed at QUIT")
    left = p.uidl()[1]
    if [l.split()[1] for l in left] != [l.split()[1] for l in uidls[1:]]: fail("UIDLs of the other messages changed")
    p.quit()
    print("ok")
PY

echo "== $COUNT messages through the SMTP gateway (MX 2525) and the delivery worker"
for i in $(seq 1 "$COUNT"); do
  send "pop3 e2e $i" "$(printf 'line one of %s\n.a line starting with a dot\nlast line' "$i")"
done
python3 "$WORK/pop.py" count "$USER_ADDR" "$USER_PASS" "$COUNT" >/dev/null
echo "   ok: $COUNT messages in the maildrop"

echo "== poplib: STLS on 2110 and POP3S on 2995 (CAPA, USER/PASS, STAT, LIST, UIDL, RETR, TOP, DELE, RSET, QUIT)"
python3 "$WORK/pop.py" session "$USER_ADDR" "$USER_PASS" "$COUNT" | contains '^ok$' || fail "poplib session"
COUNT=$((COUNT - 1))
echo "   ok: $COUNT messages left after DELE 1 + QUIT"

echo "== curl pop3s:// (list, retrieve, UIDL)"
CURL=(curl -sS -k --max-time 30 --user "$USER_ADDR:$USER_PASS")
listing=$("${CURL[@]}" pop3s://127.0.0.1:2995/)
[ "$(grep -c . <<<"$listing")" = "$COUNT" ] || fail "curl list: expected $COUNT lines, got: $listing"
size1=$(head -1 <<<"$listing" | awk '{print $2}' | tr -d '\r')
"${CURL[@]}" pop3s://127.0.0.1:2995/1 >"$WORK/curl-1.eml"
# the message poplib sees as number 1 (mail sent one after the other may still be stored in another order: the
# delivery workers take events from several partitions at once, and UIDs follow the store, not the sending)
first=$(python3 - "$USER_ADDR" "$USER_PASS" <<'PY'
import poplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
p = poplib.POP3_SSL("127.0.0.1", 2995, context=ctx, timeout=30)
p.user(sys.argv[1]); p.pass_(sys.argv[2])
print(next(l.decode() for l in p.retr(1)[1] if l.startswith(b"Subject: ")))
p.quit()
PY
)
grep -q '^Subject: pop3 e2e [0-9]' <<<"$first" || fail "poplib RETR 1: unexpected subject: $first"
tr -d '\r' <"$WORK/curl-1.eml" | grep -qxF "$first" \
  || fail "curl retrieve: wrong message (poplib's message 1 is '$first'; curl got: $(head -c 600 "$WORK/curl-1.eml" | tr '\r\n' ' '))"
grep -q '^\.a line starting with a dot' "$WORK/curl-1.eml" || fail "curl retrieve: dot-stuffing not undone"
[ "$(stat -c %s "$WORK/curl-1.eml")" = "$size1" ] || fail "curl retrieve: $(stat -c %s "$WORK/curl-1.eml") octets, LIST said $size1"
"${CURL[@]}" -X UIDL pop3s://127.0.0.1:2995/ | contains -E '^1 [0-9]+\.[0-9]+' || fail "curl UIDL"
echo "   ok: $COUNT listed, message 1 retrieved ($size1 octets as listed), UIDL"

echo "== fetchmail: keep + UIDL (leave on server) across two runs"
FM="$WORK/fetchmail"
mkdir -p "$FM/mail"
cat >"$FM/deliver.sh" <<SH
#!/bin/sh
cat >"$FM/mail/\$(date +%s%N).eml"
SH
chmod +x "$FM/deliver.sh"
fetchrc() { # fetchrc <keep|nokeep>
  cat >"$FM/rc" <<RC
set no bouncemail
poll 127.0.0.1 with proto POP3 service 2995 uidl
  user "$USER_ADDR" there with password "$USER_PASS" is "$(id -un)" here
  options ssl no sslcertck $1 mda "$FM/deliver.sh"
RC
  chmod 600 "$FM/rc"
}
fetch() { # fetch: exit code 0 (mail fetched) or 1 (no mail) is fine
  local rc=0
  HOME="$FM" fetchmail -f "$FM/rc" --idfile "$FM/ids" --nosyslog --silent >>"$FM/log" 2>&1 || rc=$?
  [ "$rc" -le 1 ] || { tail -20 "$FM/log"; fail "fetchmail exited with $rc"; }
}
fetchrc keep
fetch
got=$(ls "$FM/mail" | wc -l)
[ "$got" = "$COUNT" ] || fail "fetchmail first run: $got messages, expected $COUNT"
[ "$(python3 "$WORK/pop.py" stat "$USER_ADDR" "$USER_PASS")" = "$COUNT" ] || fail "keep: messages left the server"
send "pop3 e2e new 1" "new one"
send "pop3 e2e new 2" "new two"
python3 "$WORK/pop.py" count "$USER_ADDR" "$USER_PASS" $((COUNT + 2)) >/dev/null
fetch
got=$(ls "$FM/mail" | wc -l)
[ "$got" = $((COUNT + 2)) ] || fail "fetchmail second run: $got messages in all, expected $((COUNT + 2)) (only the 2 new ones)"
grep -l '^Subject: pop3 e2e new' "$FM/mail"/*.eml | wc -l | contains '^2$' || fail "the second run did not fetch the new mail"
fetch
[ "$(ls "$FM/mail" | wc -l)" = $((COUNT + 2)) ] || fail "a third run fetched again"
COUNT=$((COUNT + 2))
echo "   ok: first run $((COUNT - 2)), second run only the 2 new, third run nothing; all kept on the server"

echo "== fetchmail: download and delete"
rm -f "$FM/mail"/*.eml "$FM/ids"
fetchrc nokeep
fetch
got=$(ls "$FM/mail" | wc -l)
[ "$got" = "$COUNT" ] || fail "download and delete: $got messages, expected $COUNT"
[ "$(python3 "$WORK/pop.py" stat "$USER_ADDR" "$USER_PASS")" = 0 ] || fail "download and delete: the maildrop is not empty"
echo "   ok: $COUNT fetched, maildrop empty"

echo "== brute force over IMAP, then POP3 is blocked too (one ledger for every protocol and instance)"
# imap-service and pop3-service are separate services sharing the authentication-failure ledger in MongoDB: wrong
# passwords over IMAP block the client address, and pop3-service then refuses even the right password from it.
blocked=$(python3 - "$USER_ADDR" <<'PY'
import imaplib, ssl, sys
user = sys.argv[1]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
for attempt in range(1, 41):
    try:
        imap = imaplib.IMAP4_SSL("127.0.0.1", 2993, ssl_context=ctx, timeout=30)
    except OSError as e:
        print("connect failed: %s" % e); sys.exit(1)
    try:
        imap.login(user, "wrong-password-%d" % attempt)
        print("a wrong password was accepted"); sys.exit(1)
    except imaplib.IMAP4.error as e:
        if "UNAVAILABLE" in str(e):
            print(attempt); sys.exit(0)
    except OSError:
        pass
    finally:
        try:
            imap.logout()
        except Exception:
            pass
print("never blocked after 40 wrong passwords"); sys.exit(1)
PY
) || fail "IMAP brute force: $blocked"
echo "   ok: IMAP answered NO [UNAVAILABLE] at attempt $blocked"
pop_login() {
  python3 - "$USER_ADDR" "$USER_PASS" <<'PY'
import poplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
p = poplib.POP3_SSL("127.0.0.1", 2995, context=ctx, timeout=30)
try:
    p.user(sys.argv[1]); p.pass_(sys.argv[2]); print("ok"); p.quit()
except poplib.error_proto as e:
    print(e.args[0].decode(errors="replace"))
PY
}
pop=""
for _ in $(seq 1 15); do
  pop=$(pop_login)
  grep -q "SYS/TEMP" <<<"$pop" && break
  sleep 1
done
grep -q "SYS/TEMP" <<<"$pop" || fail "POP3 with the right password was not refused after the IMAP brute force: $pop"
echo "   ok: POP3 refuses the right password from the blocked address: $pop"
"$CTL" --json blocks list | grep -q '"127.0.0.1"' || fail "mailctl blocks list does not show 127.0.0.1"
"$CTL" blocks lift --ip 127.0.0.1 >/dev/null || fail "mailctl blocks lift failed"
for _ in $(seq 1 15); do
  pop=$(pop_login)
  [ "$pop" = ok ] && break
  sleep 1
done
[ "$pop" = ok ] || fail "POP3 still refused after the block was lifted: $pop"
echo "   ok: mailctl blocks list showed it; after mailctl blocks lift the POP3 login works again"

echo "PASS pop3-service e2e"
