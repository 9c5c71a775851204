#!/usr/bin/env bash
# delivery-worker benchmark: delivery throughput (messages stored per second) with one and with two worker copies,
# and the latency from publishing mail.received to the message stored in its INBOX (what an IMAP SELECT sees) at an
# offered load of 100 messages/s. Prints the machine facts the figures depend on. Not part of the test suite or CI.
#
# It starts its own Kafka, MongoDB-compatible server and S3Proxy (dev-infra's launcher classes, data in a temporary
# directory, ports 19500-19599) and the packaged worker (delivery-worker/target/quarkus-app), and stops them all at
# the end. Build first: ./mvnw -q install -DskipTests (or at least dev-infra and delivery-worker).
#
#   bench/delivery/run.sh
#   BACKLOG=3000 RATE=100 LOW_RATE=10 DURATION=60 USERS=100 bench/delivery/run.sh
#   STAGES=one JFR_DIR=/tmp/jfr bench/delivery/run.sh     # one worker only, with a flight recording per worker
#   GC_LOG_DIR=/tmp/gc bench/delivery/run.sh               # a GC log per JVM (pauses are what the p99 sees)
#   MONGO_GC=-XX:+UseSerialGC bench/delivery/run.sh        # another collector for the MongoDB-compatible server
# INFRA_ROOT (default: this checkout) is where dev-infra/target is taken from, e.g. a worktree that built only
# delivery-worker; APP overrides the packaged worker.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BACKLOG="${BACKLOG:-2000}"
RATE="${RATE:-100}"
LOW_RATE="${LOW_RATE:-10}"
DURATION="${DURATION:-60}"
USERS="${USERS:-100}"
HEAP="${HEAP:--Xmx192m}"
KAFKA_PORT=19592 KAFKA_CTRL=19593 MONGO_PORT=19517 S3_PORT=19590 HTTP1=19581 HTTP2=19582
S3_KEY=bench-access-key S3_SECRET=bench-secret-key-123

STAGES="${STAGES:-one two}"
GC_LOG_DIR="${GC_LOG_DIR:-}"
MONGO_GC="${MONGO_GC:--XX:+UseSerialGC}"
gclog() { [ -n "$GC_LOG_DIR" ] && mkdir -p "$GC_LOG_DIR" && echo "-Xlog:gc,gc+cpu:file=$GC_LOG_DIR/$1.log" || echo "-Xlog:gc=off"; }
JFR_DIR="${JFR_DIR:-}"
INFRA_ROOT="${INFRA_ROOT:-$ROOT}"
CP_FILE="$INFRA_ROOT/dev-infra/target/classpath.txt"
APP="${APP:-$ROOT/delivery-worker/target/quarkus-app}"
[ -f "$CP_FILE" ] || { echo "$CP_FILE missing: build first (./mvnw -q install -DskipTests)" >&2; exit 2; }
[ -f "$APP/quarkus-run.jar" ] || { echo "$APP missing: build first (./mvnw -q install -DskipTests)" >&2; exit 2; }
INFRA_CP="$(cat "$CP_FILE"):$INFRA_ROOT/dev-infra/target/classes"
LOAD_CP="$APP/lib/boot/*:$APP/lib/main/*"
export LOAD_RUN="r$(date +%s)"
DATA="$(mktemp -d /tmp/delivery-bench.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
await_port() { for _ in $(seq 1 600); do listening "$1" && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }
metric() { { curl -s "http://127.0.0.1:$1/q/metrics" || true; } | awk -v n="$2" '$1 == n {print $2}'; }

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory:  $(free -m | awk '/^Mem:/ {print $2 " MiB total, " $7 " MiB available"}')"
echo "java:    $(java -version 2>&1 | head -1)"
echo "load:    $(uptime)"
echo

for p in $KAFKA_PORT $MONGO_PORT $S3_PORT $HTTP1 $HTTP2; do
  if listening "$p"; then echo "port $p is in use" >&2; exit 2; fi
done
echo "== infrastructure in $DATA"
java -Xmx256m "$(gclog kafka)" -XX:+UseSerialGC -Dmail.owner.pid=$$ -cp "$INFRA_CP" mail.devinfra.KafkaMain "$DATA/kafka" $KAFKA_PORT $KAFKA_CTRL \
  > "$DATA/kafka.log" 2>&1 & PIDS+=($!)
MONGO_JFR=()
[ -n "$JFR_DIR" ] && mkdir -p "$JFR_DIR" && MONGO_JFR=("-XX:FlightRecorderOptions=stackdepth=256" "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$JFR_DIR/mongo.jfr")
java -Xmx256m "$(gclog mongo)" "${MONGO_JFR[@]}" $MONGO_GC -Dmail.owner.pid=$$ -cp "$INFRA_CP" mail.devinfra.MongoMain "$DATA/mongo/mongo.mv" $MONGO_PORT \
  > "$DATA/mongo.log" 2>&1 & PIDS+=($!)
java -Xmx256m "$(gclog s3)" -XX:+UseSerialGC -Dmail.owner.pid=$$ -cp "$INFRA_CP" mail.devinfra.S3Main "$DATA/s3" $S3_PORT $S3_KEY $S3_SECRET \
  > "$DATA/s3.log" 2>&1 & PIDS+=($!)
await_port $KAFKA_PORT; await_port $MONGO_PORT; await_port $S3_PORT

worker() {
  local jfr=()
  [ -n "$JFR_DIR" ] && mkdir -p "$JFR_DIR" && jfr=("-XX:FlightRecorderOptions=stackdepth=256" "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$JFR_DIR/worker-$1.jfr")
  MAIL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT \
  MAIL_MONGO_URI=mongodb://127.0.0.1:$MONGO_PORT MAIL_S3_ENDPOINT=http://127.0.0.1:$S3_PORT \
  MAIL_S3_ACCESS_KEY=$S3_KEY MAIL_S3_SECRET_KEY=$S3_SECRET QUARKUS_HTTP_PORT=$1 \
    java $HEAP "$(gclog "worker-$1")" "${jfr[@]}" -XX:+UseSerialGC -jar "$APP/quarkus-run.jar" > "$DATA/worker-$1.log" 2>&1 &
  PIDS+=($!)
}
await_partitions() { # port... : until the given copies own all 8 partitions between them, each at least one
  for _ in $(seq 1 600); do
    local sum=0 ok=1
    for port in "$@"; do
      v="$(metric "$port" mail_delivery_partitions)"; v="${v%.*}"
      if [ -z "$v" ] || [ "$v" -lt 1 ]; then ok=0; else sum=$((sum + v)); fi
    done
    [ "$ok" = 1 ] && [ "$sum" = 8 ] && return 0
    sleep 0.5
  done
  echo "workers never settled on the partitions" >&2; exit 1
}
# compiled once, not by the source launcher at every stage: compiling costs CPU seconds next to the stage it starts
mkdir -p "$DATA/load"
javac -nowarn -cp "$LOAD_CP" -d "$DATA/load" "$ROOT/bench/delivery/DeliveryLoad.java"
load() { java -Xmx256m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$DATA/load:$LOAD_CP" DeliveryLoad 127.0.0.1:$KAFKA_PORT http://127.0.0.1:$S3_PORT \
  $S3_KEY $S3_SECRET mongodb://127.0.0.1:$MONGO_PORT mail "$@"; }

cpu_of() { # pid: user+system CPU seconds so far
  awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo "?"
}
cpu_report() {
  echo "cpu seconds so far: kafka $(cpu_of "${PIDS[0]}"), mongo $(cpu_of "${PIDS[1]}"), s3 $(cpu_of "${PIDS[2]}")$(
    for i in "${!PIDS[@]}"; do [ "$i" -ge 3 ] && printf ', worker%d %s' $((i - 2)) "$(cpu_of "${PIDS[$i]}")"; done)"
}

if [[ " $STAGES " == *" one "* ]]; then
echo "== one worker ($HEAP)"
worker $HTTP1
await_partitions $HTTP1
load throughput 300 0 "$USERS" "warm-up (not a result)" > /dev/null
load throughput "$BACKLOG" 0 "$USERS" "1 worker, backlog of $BACKLOG"
load latency "$RATE" "$DURATION" "$USERS" "1 worker"
# the latency floor: an offered load the machine keeps up with
load latency "$LOW_RATE" "$DURATION" "$USERS" "1 worker"
cpu_report
fi

if [[ " $STAGES " == *" two "* ]]; then
echo "== two workers"
[ "${#PIDS[@]}" -ge 4 ] || { worker $HTTP1; await_partitions $HTTP1; }
worker $HTTP2
await_partitions $HTTP1 $HTTP2
load throughput 300 0 "$USERS" "warm-up (not a result)" > /dev/null
load throughput "$BACKLOG" 0 "$USERS" "2 workers, backlog of $BACKLOG"
load latency "$RATE" "$DURATION" "$USERS" "2 workers"
cpu_report
fi
echo
echo "delivered per copy: $(metric $HTTP1 mail_delivery_delivered_total) / $(metric $HTTP2 mail_delivery_delivered_total)"
echo "load after the run: $(uptime)"
