#!/usr/bin/env bash
# The Postfix side of the SMTP benchmark: Debian's Postfix on 127.0.0.1:2526 (loopback only), measured with the same
# SmtpLoad as the gateway (bench/smtp/run.sh), plus Postfix's own smtp-source as a cross-check. Stops Postfix when done.
#
#   sudo bench/smtp/postfix-compare.sh          (root: it installs and configures the system Postfix)
#
# Postfix accepts every user@bench.test and hands accepted mail to the discard transport. So before its 250 it does
# what the gateway does before its 250 - make the message durable - but to its own queue file on local disk
# (cleanup(8) fsyncs the queue file before smtpd answers), where the gateway stores the message in S3Proxy and waits
# for Kafka (acks=all). Delivery to a mailbox is not measured on either side.
#
# Run it while the mail platform is DOWN: its processes (Kafka, Keycloak, the delivery-worker draining the backlog of
# a previous run) would otherwise take CPU from Postfix on the same cores.
#
# Environment: SESSIONS SIZE DURATION WARMUP DOMAIN USERS PORT (default 2526), SMTP_SOURCE_MESSAGES (default 2000).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${PORT:-2526}"
SESSIONS="${SESSIONS:-20}"
SIZE="${SIZE:-4096}"
DURATION="${DURATION:-60}"
WARMUP="${WARMUP:-5}"
DOMAIN="${DOMAIN:-bench.test}"
USERS="${USERS:-100}"
SMTP_SOURCE_MESSAGES="${SMTP_SOURCE_MESSAGES:-2000}"
LOG=/var/log/postfix-bench.log

[ "$(id -u)" -eq 0 ] || { echo "run as root: it installs and configures the system Postfix" >&2; exit 2; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ ! -x /usr/sbin/postfix ] || [ ! -x /usr/sbin/smtp-source ]; then
  echo "== installing Debian's postfix (smtp-source is part of the postfix package)"
  # "No configuration": the installer must not write a config that listens on port 25 of every interface
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  # and must not start Postfix before it is configured; leave an existing policy alone
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
  if [ -n "$guard" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

echo "== configuring Postfix: 127.0.0.1:$PORT only, mydestination=$DOMAIN, everything to the discard transport"
# keep the configuration found before the first run, so that the machine's own Postfix setup can be restored
for f in main.cf master.cf; do
  if [ -f "/etc/postfix/$f" ] && [ ! -f "/etc/postfix/$f.before-smtp-bench" ]; then
    cp -p "/etc/postfix/$f" "/etc/postfix/$f.before-smtp-bench"
  fi
done
[ -f /etc/postfix/main.cf ] || cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf
[ -f /etc/postfix/master.cf ] || cp /usr/share/postfix/master.cf.dist /etc/postfix/master.cf
postconf -e \
  "compatibility_level = 3.6" \
  "myhostname = bench-mx.localdomain" \
  "myorigin = \$myhostname" \
  "mydestination = $DOMAIN" \
  "inet_interfaces = loopback-only" \
  "inet_protocols = ipv4" \
  "mynetworks = 127.0.0.0/8" \
  "local_recipient_maps =" \
  "alias_maps =" \
  "alias_database =" \
  "default_transport = discard:bench" \
  "relay_transport = discard:bench" \
  "local_transport = discard:bench" \
  "smtpd_tls_security_level = none" \
  "smtp_tls_security_level = none" \
  "biff = no" \
  "maillog_file = $LOG"
# port 25 stays closed; the listener is bound to loopback explicitly, whatever inet_interfaces says
postconf -MX smtp/inet 2>/dev/null || true
postconf -M "127.0.0.1:$PORT/inet = 127.0.0.1:$PORT inet n - n - - smtpd"
# without syslog in a container, postlog is the only way to get a log; it also costs Postfix what a real one pays
postconf -M "postlog/unix-dgram = postlog unix-dgram n - n - 1 postlogd"
# no chroot: the Debian init script that copies resolv.conf etc. into the chroot is not used here
postconf -F '*/*/chroot = n'
postfix check

cleanup() { postfix stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
if postfix status >/dev/null 2>&1; then postfix stop; sleep 1; fi
postfix start
for _ in $(seq 1 50); do listening "$PORT" && break; sleep 0.2; done
listening "$PORT" || { echo "Postfix does not listen on 127.0.0.1:$PORT; see $LOG" >&2; exit 1; }

echo
echo "== machine"
echo "cpu:     $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory:  $(free -m | awk '/^Mem:/ {print $2 " MiB total, " $7 " MiB available"}')"
echo "postfix: $(postconf -h mail_version)"
echo "java:    $(java -version 2>&1 | head -1)"
echo "load:    $(uptime)"
if listening 2525; then
  echo "warning: something listens on 127.0.0.1:2525 (the mail platform?): it shares the cores with Postfix now" >&2
fi

echo
echo "== SMTP load against Postfix: $SESSIONS sessions x $SIZE bytes, warm-up $WARMUP s, measured $DURATION s"
java -Xmx256m "$ROOT/bench/smtp/SmtpLoad.java" --host 127.0.0.1 --port "$PORT" --sessions "$SESSIONS" --size "$SIZE" \
  --duration "$DURATION" --warmup "$WARMUP" --domain "$DOMAIN" --users "$USERS" --label "Postfix $(postconf -h mail_version)"

echo
echo "== smtp-source against Postfix: $SMTP_SOURCE_MESSAGES messages, $SESSIONS sessions, $SIZE bytes"
# smtp-source without -d opens a new connection per message, so this includes connection setup and EHLO
s=$(date +%s.%N)
smtp-source -l "$SIZE" -m "$SMTP_SOURCE_MESSAGES" -s "$SESSIONS" -f sender@example.net -t "user1@$DOMAIN" "127.0.0.1:$PORT"
e=$(date +%s.%N)
awk -v n="$SMTP_SOURCE_MESSAGES" -v s="$s" -v e="$e" \
  'BEGIN { printf "smtp-source: %d messages in %.2f s = %.1f msgs/s (connection per message)\n", n, e - s, n / (e - s) }'
s=$(date +%s.%N)
smtp-source -d -l "$SIZE" -m "$SMTP_SOURCE_MESSAGES" -s "$SESSIONS" -f sender@example.net -t "user1@$DOMAIN" "127.0.0.1:$PORT"
e=$(date +%s.%N)
awk -v n="$SMTP_SOURCE_MESSAGES" -v s="$s" -v e="$e" \
  'BEGIN { printf "smtp-source -d: %d messages in %.2f s = %.1f msgs/s (connections reused)\n", n, e - s, n / (e - s) }'

echo
echo "load after the run: $(uptime)"
echo "Postfix log: $LOG (accepted: $(grep -c 'status=sent' "$LOG" 2>/dev/null || echo 0) discarded deliveries so far)"
