#!/usr/bin/env bash
# Measures README's run command: wall time of `bin/mailplatform up` until every readiness check is green, cold (no
# unpacked Keycloak, empty data directory) and warm (everything cached, existing data), and the resident memory of
# every process afterwards. The project must be built. Writes a Markdown table to stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MP="$ROOT/bin/mailplatform"
export MAIL_DATA_DIR="$(mktemp -d /tmp/mailplatform-bench.XXXXXX)"
export MAIL_CACHE_DIR="$(mktemp -d /tmp/mailplatform-cache.XXXXXX)"
trap '"$MP" down >/dev/null 2>&1 || true; rm -rf "$MAIL_DATA_DIR" "$MAIL_CACHE_DIR"' EXIT

timed_up() {
  local s e
  s=$(date +%s.%N)
  "$MP" up >/dev/null || { echo "bin/mailplatform up failed" >&2; exit 1; }
  e=$(date +%s.%N)
  python3 -c "print(round($e - $s, 1))" > "$MAIL_DATA_DIR/.last-start"
}
last() { cat "$MAIL_DATA_DIR/.last-start"; }

(cd "$ROOT" && ./mvnw -q -B install -DskipTests) || { echo "build failed" >&2; exit 1; }
timed_up; cold=$(last)
rss_table() {
  local k p
  for k in pid kafka.pid mongo.pid s3.pid keycloak.pid directory-service.pid smtp-gateway.pid delivery-worker.pid \
           imap-service.pid pop3-service.pid backup-service.pid; do
    p=$(grep "^$k=" "$MAIL_DATA_DIR/state.properties" | cut -d= -f2)
    # kc.sh is a shell that runs the Keycloak JVM as its child: count that tree; every other entry is one JVM
    if [ "$k" = keycloak.pid ]; then pids="$p $(pgrep -P "$p" | tr '\n' ' ')"; else pids="$p"; fi
    total=$(for x in $pids; do ps -o rss= -p "$x"; done | awk '{s+=$1} END {print int(s/1024)}')
    name=${k%.pid}; [ "$name" = pid ] && name=launcher
    echo "| $name | $total |"
  done
}
cold_rss=$(rss_table)
"$MP" down >/dev/null
timed_up; warm1=$(last); "$MP" down >/dev/null
timed_up; warm2=$(last)
warm_rss=$(rss_table)
"$MP" down >/dev/null

echo "| start | wall time to all-ready (s) |"
echo "|---|---|"
printf '| cold (Keycloak unpacked + augmented, empty data directory) | %.1f |\n' "$cold"
printf '| warm, run 1 (existing data) | %.1f |\n' "$warm1"
printf '| warm, run 2 (existing data) | %.1f |\n' "$warm2"
echo
echo "| process | RSS after cold start (MiB) |"
echo "|---|---|"
echo "$cold_rss"
echo
echo "| process | RSS after warm start (MiB) |"
echo "|---|---|"
echo "$warm_rss"
