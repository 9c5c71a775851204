#!/usr/bin/env bash
# End-to-end check of backup-service on the local platform: mail in over SMTP, a full backup, more mail and flag
# changes over IMAP, an incremental backup, the platform stopped and its data directory WIPED, a fresh start, a full
# restore of the incremental, and Python's imaplib showing that every mailbox, message, flag, UID and UIDVALIDITY is
# back. Then a single-mailbox point-in-time restore of the full backup into the moved-on INBOX ("Restored/<date>/INBOX").
# Backups go to a directory outside the data directory (MAIL_BACKUP_TARGET=directory). Keycloak's admin API does not
# give password hashes, so the restored account gets a new password from the administrator (docs/backup.md).
# Last, the account is migrated over IMAP (mailctl import imap, from the platform's own IMAP server as the "old" one)
# into a second account, twice, and a retention dry run lists the backups.
# Needs curl, python3 and swaks. Uses the platform's FIXED ports: run it only where no other platform runs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-backup-e2e.XXXXXX)"
WORK="$(mktemp -d /tmp/mailplatform-backup-e2e-work.XXXXXX)"
export MAILCTL_CONFIG="$WORK/mailctl"
export MAIL_BACKUP_TARGET=directory
export MAIL_BACKUP_DIRECTORY="$WORK/backups"
MP="$ROOT/bin/mailplatform"
CTL="$ROOT/bin/mailctl"
USER_ADDR=bea@backup-e2e.test
USER_PASS=Bea-pass-12345
NEW_PASS=Bea-after-restore-1
COUNT=${BACKUP_E2E_MESSAGES:-30}
. "$ROOT/e2e/lib/fail.sh"
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    for svc in backup-service directory-service imap-service; do
      echo "---- last lines of $svc.log" >&2
      grep -vE "^\s+at |DEBUG" "$MAIL_DATA_DIR/logs/$svc.log" 2>/dev/null | tail -25 >&2 || true
    done
  fi
  "$MP" down >/dev/null 2>&1 || true
  rm -rf "$MAIL_DATA_DIR" "$WORK"
}
trap cleanup EXIT
command -v swaks >/dev/null || fail "swaks is not installed"
mkdir -p "$MAIL_BACKUP_DIRECTORY"

login_admin() { echo "${MAIL_ADMIN_PASSWORD:-admin}" | "$CTL" login -u "${MAIL_ADMIN_USER:-admin}" --password-stdin >/dev/null; }

cat >"$WORK/imap.py" <<'EOF'
import imaplib, ssl, os, time, json, hashlib, re
def connect(password=None, wait=0):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    deadline = time.time() + wait
    while True:
        try:
            m = imaplib.IMAP4_SSL("127.0.0.1", 2993, ssl_context=ctx)
            m.login(os.environ["USER_ADDR"], password or os.environ["USER_PASS"])
            return m
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(2)
def snapshot(m, skip_prefix="Restored/"):
    """every mailbox: UIDVALIDITY, UIDNEXT and per UID the flags and the SHA-256 of the message"""
    out = {}
    typ, boxes = m.list()
    for line in boxes:
        name = re.search(rb'"([^"]*)"$|(\S+)$', line)
        name = (name.group(1) or name.group(2)).decode()
        if name.startswith(skip_prefix):
            continue
        typ, data = m.select('"%s"' % name, readonly=True)
        typ, st = m.status('"%s"' % name, "(UIDVALIDITY UIDNEXT)")
        s = st[0].decode()
        box = {"uidvalidity": re.search(r"UIDVALIDITY (\d+)", s).group(1), "uidnext": re.search(r"UIDNEXT (\d+)", s).group(1), "messages": {}}
        typ, data = m.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])")
        for part in data:
            if isinstance(part, tuple):
                head = part[0].decode()
                uid = re.search(r"UID (\d+)", head).group(1)
                flags = sorted(f for f in re.search(r"FLAGS \(([^)]*)\)", head).group(1).split() if f != "\\Recent")
                box["messages"][uid] = {"flags": flags, "sha256": hashlib.sha256(part[1]).hexdigest()}
        out[name] = box
    return out
EOF
export USER_ADDR USER_PASS PYTHONPATH="$WORK"

"$MP" up >/dev/null
echo "== platform up (backups to $MAIL_BACKUP_DIRECTORY)"
login_admin
"$CTL" domain create backup-e2e.test >/dev/null
echo "$USER_PASS" | "$CTL" account create "$USER_ADDR" --password-stdin --name "Bea" >/dev/null

echo "== $COUNT messages over SMTP (swaks, port 2525)"
for i in $(seq 1 "$COUNT"); do
  for attempt in $(seq 1 30); do
    if swaks --silent 2 --server 127.0.0.1:2525 --from sender@example.net --to "$USER_ADDR" \
        --header "Subject: backup e2e $i" --body "message $i of the backup test" >/dev/null 2>&1; then break; fi
    [ "$attempt" -lt 30 ] || fail "swaks could not deliver message $i"
    sleep 1
  done
done
python3 - "$COUNT" <<'EOF' || fail "not all messages were delivered"
import sys, time, imap
n = int(sys.argv[1]); m = imap.connect(wait=60); deadline = time.time() + 300
while True:
    typ, data = m.status("INBOX", "(MESSAGES)")
    if int(data[0].decode().split("MESSAGES ")[1].rstrip(")")) >= n: break
    if time.time() > deadline: sys.exit(1)
    time.sleep(1)
m.select("INBOX")
m.store(b"1:5", "+FLAGS", "(\\Seen)")
m.logout()
EOF
echo "   ok: $COUNT in INBOX"

"$CTL" backup create --wait >"$WORK/full.txt" || fail "full backup"
FULL=$("$CTL" --json backup list | python3 -c 'import json,sys; print([b["id"] for b in json.load(sys.stdin) if b.get("kind")=="full"][-1])')
echo "== full backup $FULL"
"$CTL" backup verify "$FULL" || fail "verify $FULL"

echo "== more mail, flag changes, a new folder, a copy and an expunge over IMAP"
for i in $(seq 1 5); do
  swaks --silent 2 --server 127.0.0.1:2525 --from sender@example.net --to "$USER_ADDR" --header "Subject: after full $i" \
    --body "later message $i" >/dev/null || fail "swaks after full"
done
python3 - "$COUNT" <<'EOF' || fail "imap changes"
import sys, time, imap
n = int(sys.argv[1]); m = imap.connect(); deadline = time.time() + 120
while True:
    typ, data = m.status("INBOX", "(MESSAGES)")
    if int(data[0].decode().split("MESSAGES ")[1].rstrip(")")) >= n + 5: break
    if time.time() > deadline: sys.exit(1)
    time.sleep(1)
m.select("INBOX")
m.store(b"6:10", "+FLAGS", "(\\Flagged \\Answered)")
m.store(b"1", "-FLAGS", "(\\Seen)")
m.create("Projects/2026")
m.copy(b"11:13", "Projects/2026")
m.store(b"2", "+FLAGS", "(\\Deleted)")
m.expunge()
m.logout()
EOF

"$CTL" backup create --incremental --wait >/dev/null || fail "incremental backup"
INC=$("$CTL" --json backup list | python3 -c 'import json,sys; print([b["id"] for b in json.load(sys.stdin) if b.get("kind")=="incremental"][-1])')
echo "== incremental backup $INC"
"$CTL" --json backup show "$INC" | python3 -c 'import json,sys; s=json.load(sys.stdin); print("   parent", s["parentId"], "stats", s["stats"])'
python3 -c 'import imap, json; m = imap.connect(); json.dump(imap.snapshot(m), open("'"$WORK"'/before.json", "w"), indent=1); m.logout()'

echo "== down, wipe $MAIL_DATA_DIR, up"
"$MP" down >/dev/null
rm -rf "$MAIL_DATA_DIR" && mkdir -p "$MAIL_DATA_DIR"
"$MP" up >/dev/null
login_admin
"$CTL" backup restore "$INC" >"$WORK/restore.txt" || { cat "$WORK/restore.txt"; fail "full restore"; }
cat "$WORK/restore.txt" | sed 's/^/   /'
# the realm was re-imported, so the account's Keycloak user was re-created without a password hash (docs/backup.md)
for attempt in $(seq 1 30); do
  echo "$NEW_PASS" | "$CTL" account passwd "$USER_ADDR" --password-stdin >/dev/null 2>&1 && break
  [ "$attempt" -lt 30 ] || fail "could not set the restored account's password"
  sleep 2
done
python3 - "$WORK" "$NEW_PASS" <<'EOF' || fail "the restored platform differs"
import sys, json, imap
work, password = sys.argv[1], sys.argv[2]
before = json.load(open(work + "/before.json"))
m = imap.connect(password, wait=120)
after = imap.snapshot(m)
m.logout()
for name, box in before.items():
    assert name in after, "mailbox %s missing after restore" % name
    a = after[name]
    assert a["uidvalidity"] == box["uidvalidity"], (name, "UIDVALIDITY", box["uidvalidity"], a["uidvalidity"])
    assert a["uidnext"] == box["uidnext"], (name, "UIDNEXT", box["uidnext"], a["uidnext"])
    assert a["messages"] == box["messages"], (name, "messages/flags/UIDs differ")
assert set(after) == set(before), (sorted(after), sorted(before))
total = sum(len(b["messages"]) for b in before.values())
print("   ok: %d mailboxes, %d messages, every UID, flag, body and UIDVALIDITY back" % (len(before), total))
EOF

echo "== single-mailbox point-in-time restore of INBOX from the full backup $FULL"
"$CTL" backup restore "$FULL" --account "$USER_ADDR" --mailbox INBOX >"$WORK/mbx.txt" || { cat "$WORK/mbx.txt"; fail "mailbox restore"; }
python3 - "$COUNT" "$NEW_PASS" <<'EOF' || fail "point-in-time mailbox restore"
import sys, imap, re
n, password = int(sys.argv[1]), sys.argv[2]
m = imap.connect(password)
typ, boxes = m.list()
def name(line):
    # the mailbox name is the last item of a LIST line: quoted, or an atom when it needs no quoting
    s = line.decode()
    q = re.search(r'"((?:[^"\\]|\\.)*)"$', s)
    return q.group(1) if q else s.rsplit(' ', 1)[1]
restored = [name(b) for b in boxes if b'Restored/' in b and b'INBOX' in b]
assert len(restored) == 1, boxes
typ, data = m.select('"%s"' % restored[0], readonly=True)
assert int(data[0]) == n, ("the full backup had %d messages in INBOX" % n, data)
typ, data = m.search(None, "SEEN")
assert len(data[0].split()) == 5, ("5 were seen at the time of the full backup", data)
typ, data = m.search(None, "FLAGGED")
assert data[0].split() == [], data
m.logout()
print("   ok: %s holds INBOX as of the full backup (%d messages, its flags)" % (restored[0], n))
EOF
echo "== IMAP migration of $USER_ADDR into mig@backup-e2e.test (mailctl import imap, twice)"
MIG_ADDR=mig@backup-e2e.test
MIG_PASS=Mig-pass-12345
echo "$MIG_PASS" | "$CTL" account create "$MIG_ADDR" --password-stdin --name "Mig" >/dev/null
printf '%s\n' "$NEW_PASS" >"$WORK/old-password"
chmod 600 "$WORK/old-password"
for run in 1 2; do
  "$CTL" --json import imap --account "$MIG_ADDR" --host 127.0.0.1 --port 2993 --tls implicit --insecure \
    --user "$USER_ADDR" --password-file "$WORK/old-password" >"$WORK/migrate-$run.json" \
    || { cat "$WORK/migrate-$run.json"; fail "IMAP import run $run"; }
done
python3 - "$WORK" "$NEW_PASS" "$MIG_ADDR" "$MIG_PASS" <<'EOF' || fail "the migrated account differs"
import sys, json, os, imap
work, old_pw, mig, mig_pw = sys.argv[1:5]
first, second = json.load(open(work + "/migrate-1.json")), json.load(open(work + "/migrate-2.json"))
m = imap.connect(old_pw); old = imap.snapshot(m, skip_prefix="\0"); m.logout()
os.environ["USER_ADDR"] = mig
m = imap.connect(mig_pw, wait=60); new = imap.snapshot(m, skip_prefix="\0"); m.logout()
total = sum(len(b["messages"]) for b in old.values())
assert first["imported"] == total, (first, total)
assert second["imported"] == 0 and second["alreadyImported"] == total, second
for name, box in old.items():
    assert name in new, "mailbox %s missing in the migrated account" % name
    want = sorted((v["flags"], v["sha256"]) for v in box["messages"].values())
    got = sorted((v["flags"], v["sha256"]) for v in new[name]["messages"].values())
    assert want == got, (name, "messages/flags differ")
print("   ok: %d mailboxes, %d messages with their flags migrated; the second run imported nothing" % (len(old), total))
EOF

echo "== retention dry run"
"$CTL" --json backup prune --dry-run >"$WORK/prune.json" || fail "prune --dry-run"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["dryRun"] and r["deleted"] == [], r; print("   ok: keeps", len(r["kept"]), "backups (no policy set)")' \
  "$WORK/prune.json" || fail "prune dry run"
echo "PASS e2e/backup.sh"
