#!/usr/bin/env bash
# POP3 retrieval benchmark: messages retrieved per second by 20 concurrent clients (bench/pop3/Pop3Bench.java), first
# against our pop3-service (POP3S 2995 of the running platform), then against Dovecot's POP3 on the same machine with
# the same messages (loopback, unprivileged port, passwd-file auth, maildir), back to back. Prints both and the ratio.
#
#   bin/mailplatform up && bench/pop3/run.sh        (needs python3, dovecot-pop3d, openssl; leaves the platform up)
#
# Environment: CLIENTS (20), MESSAGES per account (50), RUN_SECONDS per run (60).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CLIENTS=${CLIENTS:-20}
MESSAGES=${MESSAGES:-50}
SECONDS_PER_RUN=${RUN_SECONDS:-60}
CTL="$ROOT/bin/mailctl"
DOMAIN=pop3-bench.test
PASS=Bench-pass-1234
WORK="$(mktemp -d /tmp/pop3-bench.XXXXXX)"
chmod 755 "$WORK"
DOVECOT_PORT=${DOVECOT_PORT:-11995}
export MAILCTL_CONFIG="$WORK/mailctl"
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v dovecot >/dev/null || fail "dovecot is not installed (apt-get install dovecot-pop3d)"
stop_dovecot() {
  if [ -f "$WORK/dovecot/run/master.pid" ]; then
    kill "$(cat "$WORK/dovecot/run/master.pid")" 2>/dev/null || true
    for i in $(seq 1 20); do [ -f "$WORK/dovecot/run/master.pid" ] || break; sleep 0.5; done
  fi
}
trap 'stop_dovecot; rm -rf "$WORK"' EXIT

echo "== accounts and messages ($CLIENTS accounts x $MESSAGES messages)"
echo "${MAIL_ADMIN_PASSWORD:-admin}" | "$CTL" login -u "${MAIL_ADMIN_USER:-admin}" --password-stdin >/dev/null
"$CTL" domain create "$DOMAIN" >/dev/null 2>&1 || true
: >"$WORK/users"
for i in $(seq 1 "$CLIENTS"); do
  echo "$PASS" | "$CTL" account create "bench$i@$DOMAIN" --password-stdin --name "Bench $i" >/dev/null 2>&1 || true
  echo "bench$i@$DOMAIN $PASS" >>"$WORK/users"
done
python3 - "$DOMAIN" "$CLIENTS" "$MESSAGES" "$PASS" <<'PY'
import poplib, smtplib, ssl, sys, time
domain, clients, messages, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rcpts = [f"bench{i}@{domain}" for i in range(1, clients + 1)]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def stat(u):
    p = poplib.POP3_SSL("127.0.0.1", 2995, context=ctx, timeout=60); p.user(u); p.pass_(password)
    n = p.stat()[0]; p.quit(); return n
have = min(stat(u) for u in rcpts)
sizes = [2000, 4000, 8000, 16000, 32000]   # 12.4 KB on average
deadline = time.time() + 120
while have < messages and time.time() < deadline:
    try:
        with smtplib.SMTP("127.0.0.1", 2525, timeout=60) as s:
            for n in range(have, messages):
                body = "\r\n".join(f"line {k} of message {n}: " + "x" * 60 for k in range(sizes[n % len(sizes)] // 80))
                msg = f"From: load@example.net\r\nTo: {rcpts[0]}\r\nSubject: pop3 bench {n}\r\nMessage-ID: <bench-{n}-{time.time()}@example.net>\r\n\r\n{body}\r\n"
                s.sendmail("load@example.net", rcpts, msg)
        break
    except (smtplib.SMTPException, OSError) as e:
        print("retrying the seed:", e); time.sleep(2)
deadline = time.time() + 300
while min(stat(u) for u in rcpts) < messages:
    if time.time() > deadline: sys.exit("messages were not all delivered in time")
    time.sleep(2)
print("   ok: every maildrop holds", messages, "messages")
PY

echo "== export the first account's messages for Dovecot (as our server sends them)"
D="$WORK/dovecot"
mkdir -p "$D/run" "$D/state" "$D/home" "$D/export"
python3 - "bench1@$DOMAIN" "$PASS" "$D/export" <<'PY'
import poplib, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
p = poplib.POP3_SSL("127.0.0.1", 2995, context=ctx, timeout=60); p.user(sys.argv[1]); p.pass_(sys.argv[2])
for n in range(1, p.stat()[0] + 1):
    lines = p.retr(n)[1]
    open(f"{sys.argv[3]}/{n:05d}", "wb").write(b"".join(l + b"\r\n" for l in lines))
p.quit()
PY
: >"$D/passwd"
for i in $(seq 1 "$CLIENTS"); do
  u="bench$i@$DOMAIN"
  mkdir -p "$D/home/$u/Maildir/cur" "$D/home/$u/Maildir/new" "$D/home/$u/Maildir/tmp"
  for f in "$D/export"/*; do
    n=$(basename "$f"); cp "$f" "$D/home/$u/Maildir/cur/1700000000.M${n}P1.bench,S=$(stat -c %s "$f"):2,"
  done
  echo "$u:{PLAIN}$PASS::::::" >>"$D/passwd"
done
chown -R dovecot:dovecot "$D/home"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout "$D/key.pem" -out "$D/cert.pem" 2>/dev/null
cat >"$D/dovecot.conf" <<CONF
# local benchmark instance only: loopback, unprivileged port, throwaway self-signed certificate
protocols = pop3
listen = 127.0.0.1
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
ssl = required
ssl_cert = <$D/cert.pem
ssl_key = <$D/key.pem
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/passwd
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$D/home/%u
}
mail_location = maildir:~/Maildir
first_valid_uid = 1
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = $DOVECOT_PORT
    ssl = yes
  }
}
service anvil {
  chroot =
}
pop3_uidl_format = %08Xu%08Xv
mail_max_userip_connections = 100
CONF

bench() { java -Xmx256m -XX:+UseSerialGC "$ROOT/bench/pop3/Pop3Bench.java" 127.0.0.1 "$1" "$WORK/users" "$CLIENTS" "$2"; }

echo "== warm-up of ours (wire sizes counted, passwords cached), then $SECONDS_PER_RUN s"
bench 2995 10 >/dev/null
OURS=$(bench 2995 "$SECONDS_PER_RUN")
echo "$OURS"

echo "== Dovecot $(dovecot --version | cut -d' ' -f1) on 127.0.0.1:$DOVECOT_PORT: warm-up (indexes), then $SECONDS_PER_RUN s"
dovecot -c "$D/dovecot.conf"
for i in $(seq 1 30); do (exec 3<>"/dev/tcp/127.0.0.1/$DOVECOT_PORT") 2>/dev/null && break; sleep 0.5; done
bench "$DOVECOT_PORT" 10 >/dev/null
THEIRS=$(bench "$DOVECOT_PORT" "$SECONDS_PER_RUN")
echo "$THEIRS"
stop_dovecot

rate() { sed -n 's/^messages\/s=\([0-9.]*\).*/\1/p' <<<"$1"; }
python3 -c "import sys; o,t=float(sys.argv[1]),float(sys.argv[2]); print(f'ours {o:.1f} msg/s, Dovecot {t:.1f} msg/s, ratio ours/Dovecot {o/t:.2f}')" \
  "$(rate "$OURS")" "$(rate "$THEIRS")"
