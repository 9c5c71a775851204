#!/usr/bin/env bash
# End-to-end check of imap-service with real clients against the local platform started by README's run command:
# 1,000 messages delivered through the SMTP gateway and the delivery worker, Python's imaplib (LOGIN, LIST, SELECT,
# SEARCH, FETCH, STORE, APPEND, MOVE, IDLE), then mbsync (isync) syncing the mailbox both ways: the first full sync,
# flag changes on both sides, a move and an expunge on the server, a deletion on the client, and both sides agreeing
# at the end. Needs curl, python3, swaks and mbsync.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-imap-e2e.XXXXXX)"
export MAILCTL_CONFIG="$MAIL_DATA_DIR/mailctl"
MP="$ROOT/bin/mailplatform"
CTL="$ROOT/bin/mailctl"
WORK="$MAIL_DATA_DIR/e2e"
USER_ADDR=erin@imap-e2e.test
USER_PASS=Erin-pass-1234
COUNT=${IMAP_E2E_MESSAGES:-1000}
. "$ROOT/e2e/lib/fail.sh"
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    # what the services said, before the data directory goes
    for svc in imap-service delivery-worker smtp-gateway; do
      echo "---- last lines of $svc.log" >&2
      grep -vE "^\s+at |DEBUG" "$MAIL_DATA_DIR/logs/$svc.log" 2>/dev/null | tail -25 >&2 || true
    done
  fi
  "$MP" down >/dev/null 2>&1 || true
  rm -rf "$MAIL_DATA_DIR"
}
trap cleanup EXIT
command -v mbsync >/dev/null || fail "mbsync is not installed (apt-get install isync)"
mkdir -p "$WORK"

"$MP" up >/dev/null
echo "== platform up"
echo "${MAIL_ADMIN_PASSWORD:-admin}" | "$CTL" login -u "${MAIL_ADMIN_USER:-admin}" --password-stdin >/dev/null
"$CTL" domain create imap-e2e.test >/dev/null
echo "$USER_PASS" | "$CTL" account create "$USER_ADDR" --password-stdin --name "Erin" >/dev/null
echo "== account $USER_ADDR"

# python helper: an IMAPS connection that trusts the local self-signed certificate
cat >"$WORK/imap.py" <<'EOF'
import imaplib, ssl, sys, os
def connect():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    m = imaplib.IMAP4_SSL("127.0.0.1", 2993, ssl_context=ctx)
    m.login(os.environ["USER_ADDR"], os.environ["USER_PASS"])
    return m
EOF
export USER_ADDR USER_PASS PYTHONPATH="$WORK"

echo "== $COUNT messages through the SMTP gateway (MX, port 2525)"
python3 - "$COUNT" <<'EOF'
import smtplib, sys, time
n = int(sys.argv[1])
deadline = time.time() + 60
while True:
    try:
        s = smtplib.SMTP("127.0.0.1", 2525, timeout=30)
        s.ehlo("e2e.test")
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(1)
sent = 0
while sent < n:
    msg = ("From: Sender <sender@example.net>\r\nTo: erin@imap-e2e.test\r\nSubject: e2e message %d\r\n"
           "Message-ID: <e2e-%d@example.net>\r\nDate: Sun, 29 Nov 2026 07:00:00 +0000\r\n\r\nBody of message %d\r\n") % (sent, sent, sent)
    try:
        s.sendmail("sender@example.net", ["erin@imap-e2e.test"], msg)
        sent += 1
    except smtplib.SMTPRecipientsRefused:
        # the gateway's directory cache may not know the new account for a moment
        time.sleep(1)
s.quit()
EOF
python3 - "$COUNT" <<'EOF' || fail "not all messages were delivered"
import sys, time, imap
n = int(sys.argv[1])
m = imap.connect()
deadline = time.time() + 300
while True:
    typ, data = m.status("INBOX", "(MESSAGES)")
    got = int(data[0].decode().split("MESSAGES ")[1].rstrip(")"))
    if got >= n:
        break
    if time.time() > deadline:
        print("only %d of %d delivered" % (got, n)); sys.exit(1)
    time.sleep(1)
m.logout()
EOF
echo "   ok: $COUNT messages in INBOX"

echo "== imaplib: LIST, SELECT, SEARCH, FETCH, STORE, APPEND, MOVE, IDLE"
python3 - "$COUNT" <<'EOF' || fail "imaplib conversation"
import sys, imap, time, re
n = int(sys.argv[1])
m = imap.connect()
typ, boxes = m.list()
names = b" ".join(boxes)
for want in (b"INBOX", b"\\Sent", b"\\Trash", b"\\Archive"):
    assert want in names, (want, boxes)
typ, data = m.select("INBOX")
assert int(data[0]) == n, data
typ, data = m.search(None, "SUBJECT", '"e2e message 7"')
hits = data[0].split()
assert len(hits) >= 1, data
typ, data = m.fetch(hits[0], "(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
assert b"Subject: e2e message 7" in data[0][1], data
typ, data = m.fetch(b"1", "(RFC822.SIZE BODY[])")
size = int(re.search(rb"RFC822.SIZE (\d+)", data[0][0]).group(1))
assert len(data[0][1]) == size, (len(data[0][1]), size)
typ, data = m.fetch(b"1", "(FLAGS)")
assert b"\\Seen" in data[0], data
typ, data = m.store(b"2", "+FLAGS", "(\\Flagged)")
assert b"\\Flagged" in data[0], data
typ, data = m.append("Drafts", "(\\Draft)", None, b"Subject: draft\r\n\r\nA draft\r\n")
assert typ == "OK" and b"APPENDUID" in data[0], data
typ, data = m.uid("SEARCH", None, "ALL")
last = data[0].split()[-1]
typ, data = m.uid("MOVE", last, "Archive")
assert typ == "OK", data
typ, data = m.status("Archive", "(MESSAGES)")
assert b"MESSAGES 1" in data[0], data
# IDLE: a message delivered meanwhile shows up as EXISTS
m.send(b"i1 IDLE\r\n")
assert m.readline().startswith(b"+")
import smtplib
s = smtplib.SMTP("127.0.0.1", 2525); s.sendmail("sender@example.net", ["erin@imap-e2e.test"], "Subject: during idle\r\n\r\nhi\r\n"); s.quit()
m.sock.settimeout(180)  # delivery, then the change event: generous on a loaded machine
seen = []
line = m.readline()
while b"EXISTS" not in line:
    seen.append(line)
    line = m.readline()
m.send(b"DONE\r\n")
while not m.readline().startswith(b"i1 OK"):
    pass
m.logout()
EOF
echo "   ok"

echo "== mbsync: first full sync"
python3 -c 'import ssl;print(ssl.get_server_certificate(("127.0.0.1",2993)))' >"$WORK/server.pem"
mkdir -p "$WORK/Mail"
cat >"$WORK/mbsyncrc" <<EOF
IMAPAccount e2e
Host 127.0.0.1
Port 2993
User $USER_ADDR
Pass $USER_PASS
SSLType IMAPS
CertificateFile $WORK/server.pem

IMAPStore remote
Account e2e

MaildirStore local
Path $WORK/Mail/
Inbox $WORK/Mail/INBOX
SubFolders Verbatim

Channel e2e
Far :remote:
Near :local:
Patterns *
Create Both
Expunge Both
SyncState *
Sync All
EOF
mbsync -c "$WORK/mbsyncrc" -a -q || fail "first mbsync run"
local_count() { find "$WORK/Mail/$1/cur" "$WORK/Mail/$1/new" -type f 2>/dev/null | wc -l; }
remote_count() { python3 -c 'import imap,sys; m=imap.connect(); t,d=m.status(sys.argv[1],"(MESSAGES)"); print(int(d[0].decode().split("MESSAGES ")[1].rstrip(")")))' "$1"; }
[ "$(local_count INBOX)" = "$(remote_count INBOX)" ] || fail "INBOX: $(local_count INBOX) local vs $(remote_count INBOX) remote"
[ "$(local_count Archive)" = 1 ] || fail "Archive not synced"
echo "   ok: INBOX $(local_count INBOX) messages on both sides, Archive and Drafts too"

echo "== flags changed on both sides, a move and an expunge on the server, a deletion on the client"
# client side: mark 10 messages seen, delete 5 (maildir flags S and T)
i=0
# mbsync leaves unread messages in new/ (no info suffix); a reader moves them to cur/ with its flags
for f in $(find "$WORK/Mail/INBOX/new" -type f | sort | head -15); do
  i=$((i+1))
  name="$(basename "$f")"
  base="$WORK/Mail/INBOX/cur/${name%%:2,*}"
  if [ $i -le 10 ]; then mv "$f" "${base}:2,S"; else mv "$f" "${base}:2,T"; fi
done
[ $i = 15 ] || fail "expected 15 unread local messages to change, found $i"
python3 - <<'EOF' || fail "server-side changes"
import imap
m = imap.connect()
m.select("INBOX")
t, d = m.uid("SEARCH", None, "ALL")
uids = d[0].split()
m.uid("STORE", b",".join(uids[-20:-10]), "+FLAGS", "(\\Flagged)")
m.uid("MOVE", b",".join(uids[-5:]), "Archive")
m.uid("STORE", uids[-6], "+FLAGS", "(\\Deleted)")
m.expunge()
m.logout()
EOF
mbsync -c "$WORK/mbsyncrc" -a -q || fail "second mbsync run"

echo "== both sides agree"
python3 - "$WORK/Mail" <<'EOF' || fail "the two sides disagree"
import imap, os, sys, re
root = sys.argv[1]
def local(box):
    out = {}
    for sub in ("cur", "new"):
        d = os.path.join(root, box, sub)
        if not os.path.isdir(d):
            continue
        for f in os.listdir(d):
            uid = re.search(r",U=(\d+)", f)
            flags = f.split(":2,")[1] if ":2," in f else ""
            out[int(uid.group(1)) if uid else f] = set(flags)
    return out
m = imap.connect()
for box in ("INBOX", "Archive"):
    m.select(box, readonly=True)
    t, d = m.uid("FETCH", "1:*", "(FLAGS)")
    remote = {}
    for line in d:
        if not line:
            continue
        s = line.decode() if isinstance(line, bytes) else line[0].decode()
        uid = int(re.search(r"UID (\d+)", s).group(1))
        remote[uid] = set(re.search(r"FLAGS \(([^)]*)\)", s).group(1).split())
    loc = local(box)
    assert len(loc) == len(remote), (box, len(loc), len(remote))
    seen_l = sum(1 for f in loc.values() if "S" in f)
    seen_r = sum(1 for f in remote.values() if "\\Seen" in f)
    flag_l = sum(1 for f in loc.values() if "F" in f)
    flag_r = sum(1 for f in remote.values() if "\\Flagged" in f)
    assert seen_l == seen_r and flag_l == flag_r, (box, seen_l, seen_r, flag_l, flag_r)
    assert not any("\\Deleted" in f for f in remote.values()), box
    print("   %s: %d messages, %d seen, %d flagged on both sides" % (box, len(loc), seen_l, flag_l))
EOF
echo "PASS: imap-service end to end"
