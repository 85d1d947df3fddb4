#!/usr/bin/env bash
# Runs the pipeline on this machine: builds what is missing, fetches the dataset, starts a real Kafka broker
# (KRaft, from the Kafka jars; no Docker) and the services as processes, with logs under out/logs/.
#
#   ./run-local.sh            run, report, stop everything
#   ./run-local.sh --serve    keep everything running until Ctrl-C
#   ./run-local.sh --rebuild  rebuild even if the build outputs exist
#
# Environment: KAFKA_PORT (default 9092), PARTITIONS (default 4).
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
serve=false
rebuild=false
for arg in "$@"; do
  case "$arg" in
    --serve) serve=true ;;
    --rebuild) rebuild=true ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-local: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
kafka_port=${KAFKA_PORT:-9092}
partitions=${PARTITIONS:-4}
logs=$root/out/logs
mkdir -p "$logs"

say() { printf '[run-local %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[run-local] %s\n' "$*" >&2; exit 1; }

# --- prerequisites -------------------------------------------------------------------------------------------
command -v java >/dev/null || die "Java is missing: install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)."
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "Java $java_major is too old: install a JDK 17 or newer."
command -v mvn >/dev/null || die "Maven is missing: install Maven 3.8 or newer (Debian: apt-get install maven)."
command -v npm >/dev/null || die "npm is missing (it fetches the dataset): install Node.js and npm (Debian: apt-get install npm)."
if (exec 3<>"/dev/tcp/127.0.0.1/$kafka_port") 2>/dev/null; then
  die "port $kafka_port is busy: stop what listens there, or run with KAFKA_PORT=<free port>."
fi

# --- children: every process started here stops with this script -----------------------------------------------
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all' EXIT
trap 'say "interrupted: stopping"; exit 130' INT TERM

# --- build ---------------------------------------------------------------------------------------------------
if $rebuild || [ ! -s local-kafka/target/classpath.txt ] || [ ! -d target/natives ]; then
  say "building (mvn -DskipTests package; the first build downloads dependencies and unpacks ~600 MB of TensorFlow natives)"
  mvn -B -q -DskipTests package > "$logs/build.log" 2>&1 || die "the build failed; see $logs/build.log"
fi

# --- dataset -------------------------------------------------------------------------------------------------
bash scripts/fetch-dataset.sh | sed 's/^/[run-local] /'

# --- Kafka ---------------------------------------------------------------------------------------------------
say "starting Kafka on localhost:$kafka_port (log: $logs/kafka.log)"
broker_cp="$(ls local-kafka/target/local-kafka-*.jar | head -n 1):$(cat local-kafka/target/classpath.txt)"
java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$broker_cp" \
  io.prunestream.kafka.LocalKafka --port "$kafka_port" --data-dir out/kafka --partitions "$partitions" \
  > "$logs/kafka.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  grep -q '^local-kafka: ready' "$logs/kafka.log" && break
  kill -0 "${pids[0]}" 2>/dev/null || die "Kafka stopped during start-up; see $logs/kafka.log"
  sleep 0.5
done
grep '^local-kafka: ready' "$logs/kafka.log" | sed 's/^/[run-local] /' || die "Kafka did not become ready in 60 s; see $logs/kafka.log"

# --- services ------------------------------------------------------------------------------------------------
missing=()
for service in trainer-service pruner-service evaluator-service; do
  [ -f "$service/target/quarkus-app/quarkus-run.jar" ] || missing+=("$service")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "not built yet, so not started: ${missing[*]}"
  say "what runs now: the Kafka broker with the pipeline topics, the dataset in data/fashion-mnist/"
fi

if $serve; then
  say "serving: Kafka at localhost:$kafka_port; Ctrl-C stops everything"
  wait "${pids[0]}"
else
  say "done: stopping"
fi
