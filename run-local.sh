#!/usr/bin/env bash
# Runs the pipeline on this machine: builds what is missing, fetches the dataset, starts a real Kafka broker
# (KRaft, from the Kafka jars; no Docker) and the services as processes, with logs under out/logs/.
#
#   ./run-local.sh            run, report, stop everything
#   ./run-local.sh --serve    keep everything running until Ctrl-C
#   ./run-local.sh --rebuild  rebuild even if the build outputs exist
#
# Environment: KAFKA_PORT (default 9092), TRAINER_PORT (8081), PRUNER_PORT (8082), EVALUATOR_PORT (8083),
#              PARTITIONS (default 4),
#              EPOCHS (default 2) for the default experiment.
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
trainer_port=${TRAINER_PORT:-8081}
pruner_port=${PRUNER_PORT:-8082}
evaluator_port=${EVALUATOR_PORT:-8083}
partitions=${PARTITIONS:-4}
epochs=${EPOCHS:-2}
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
command -v node >/dev/null || die "node is missing (it comes with npm): install Node.js (Debian: apt-get install nodejs)."
command -v curl >/dev/null || die "curl is missing (it talks to the services): install it (Debian: apt-get install curl)."
for port_var in KAFKA_PORT:$kafka_port TRAINER_PORT:$trainer_port PRUNER_PORT:$pruner_port \
    EVALUATOR_PORT:$evaluator_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/${port_var#*:}") 2>/dev/null; then
    die "port ${port_var#*:} is busy: stop what listens there, or run with ${port_var%%:*}=<free port>."
  fi
done

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
if $rebuild || [ ! -s local-kafka/target/classpath.txt ] || [ ! -d target/natives ] \
    || [ ! -f trainer-service/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f pruner-service/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f evaluator-service/target/quarkus-app/quarkus-run.jar ]; then
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
natives=$root/target/natives/tensorflow-linux-x86_64
run_id="local-$(date +%Y%m%d-%H%M%S)"
mkdir -p out/runs
cat > "out/runs/$run_id.json" <<JSON
{"runId": "$run_id", "training": {"epochs": $epochs}}
JSON
say "starting trainer-service on http://localhost:$trainer_port (log: $logs/trainer-service.log)"
TENSORFLOW_LIBRARY_PATH=$natives OPT_OUT_TRACKING=true TF_CPP_MIN_LOG_LEVEL=1 \
KAFKA_BOOTSTRAP_SERVERS=localhost:$kafka_port QUARKUS_HTTP_PORT=$trainer_port \
TRAINER_MODEL_STORE=$root/out/models TRAINER_DATASET_DIR=$root/data/fashion-mnist \
TRAINER_BOOT_RUN_FILE=$root/out/runs/$run_id.json TRAINER_GIT_COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown) \
  java -Xmx2g -jar trainer-service/target/quarkus-app/quarkus-run.jar > "$logs/trainer-service.log" 2>&1 &
pids+=($!)

say "starting pruner-service on http://localhost:$pruner_port (log: $logs/pruner-service.log)"
TENSORFLOW_LIBRARY_PATH=$natives OPT_OUT_TRACKING=true TF_CPP_MIN_LOG_LEVEL=1 \
KAFKA_BOOTSTRAP_SERVERS=localhost:$kafka_port QUARKUS_HTTP_PORT=$pruner_port PRUNER_MODEL_STORE=$root/out/models \
  java -Xmx2g -jar pruner-service/target/quarkus-app/quarkus-run.jar > "$logs/pruner-service.log" 2>&1 &
pids+=($!)

say "starting evaluator-service on http://localhost:$evaluator_port (log: $logs/evaluator-service.log)"
TENSORFLOW_LIBRARY_PATH=$natives OPT_OUT_TRACKING=true TF_CPP_MIN_LOG_LEVEL=1 \
KAFKA_BOOTSTRAP_SERVERS=localhost:$kafka_port QUARKUS_HTTP_PORT=$evaluator_port \
EVALUATOR_MODEL_STORE=$root/out/models EVALUATOR_DATASET_DIR=$root/data/fashion-mnist \
  java -Xmx2g -jar evaluator-service/target/quarkus-app/quarkus-run.jar > "$logs/evaluator-service.log" 2>&1 &
pids+=($!)

run_url="http://localhost:$trainer_port/runs/$run_id"
say "default experiment: run $run_id, the small CNN with hyperspherical learning and the default penalty, $epochs epochs"
seen=0
while :; do
  kill -0 "${pids[1]}" 2>/dev/null || die "trainer-service stopped; see $logs/trainer-service.log"
  state=$(curl -fsS "$run_url" 2>/dev/null || true)
  status=$(printf '%s' "$state" | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p')
  # Every new progress line of this run, as the trainer logged it.
  lines=$(grep -o "run $run_id: .*" "$logs/trainer-service.log" || true)
  total=$(printf '%s' "$lines" | grep -c . || true)
  if [ "$total" -gt "$seen" ]; then
    printf '%s\n' "$lines" | tail -n +"$((seen + 1))" | while IFS= read -r line; do say "$line"; done
    seen=$total
  fi
  case "$status" in
    SUCCEEDED) break ;;
    FAILED|CANCELLED) die "run $run_id ended $status: $(printf '%s' "$state" | sed -n 's/.*"error":"\([^"]*\)".*/\1/p'); see $logs/trainer-service.log" ;;
  esac
  sleep 2
done
say "run $run_id succeeded; its checkpoints are on the topic 'checkpoints'"

# --- variants ------------------------------------------------------------------------------------------------
last_checkpoint=$(printf '%s-e%03d' "$run_id" "$epochs")
say "waiting for the pruner's variants of every checkpoint (last: $last_checkpoint)"
for _ in $(seq 1 300); do
  kill -0 "${pids[2]}" 2>/dev/null || die "pruner-service stopped; see $logs/pruner-service.log"
  grep -q "checkpoint $last_checkpoint: published" "$logs/pruner-service.log" && break
  sleep 1
done
grep -q "checkpoint $last_checkpoint: published" "$logs/pruner-service.log" \
  || die "no variants of $last_checkpoint after 5 minutes; see $logs/pruner-service.log"
say "variants of $last_checkpoint (out/models/variants/$run_id/):"
# node comes with npm, which the dataset already needs.
node -e '
  const fs = require("fs");
  const rows = process.argv.slice(1).map(f => JSON.parse(fs.readFileSync(f, "utf8")));
  rows.sort((a, b) => a.method.localeCompare(b.method) || a.targetSparsity - b.targetSparsity);
  const line = (...c) => console.log("[run-local]   " + c.map((v, i) => String(v).padStart(i ? 11 : 15)).join(""));
  line("method", "target", "achieved", "prune ms", "dense kB", "sparse kB");
  for (const r of rows) line(r.method, r.targetSparsity, r.achievedSparsity.toFixed(4), r.pruneMillis,
      Math.round(r.denseBytes / 1000), Math.round(r.storageBytes / 1000));
' out/models/variants/"$run_id"/"$last_checkpoint"-*/pruning.json
# --- evaluations -------------------------------------------------------------------------------------------
results_url="http://localhost:$evaluator_port/results?runId=$run_id"
expected=$(( $(ls -d out/models/variants/"$run_id"/"$last_checkpoint"-* | wc -l) + 1 ))
say "waiting for the $expected evaluations of $last_checkpoint (dense + variants)"
count_last() {
  curl -fsS "$results_url" 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      try { console.log(JSON.parse(s).filter(e => e.checkpointId === process.argv[1]).length); }
      catch (e) { console.log(0); } });' "$last_checkpoint" || echo 0
}
scored=0
for _ in $(seq 1 600); do
  kill -0 "${pids[3]}" 2>/dev/null || die "evaluator-service stopped; see $logs/evaluator-service.log"
  now=$(count_last)
  if [ "$now" != "$scored" ]; then say "evaluations of $last_checkpoint: $now of $expected"; scored=$now; fi
  [ "$scored" -ge "$expected" ] && break
  sleep 1
done
[ "$scored" -ge "$expected" ] || die "only $scored of $expected evaluations after 10 minutes; see $logs/evaluator-service.log"
curl -fsS "$results_url" > out/results.json
curl -fsS "http://localhost:$evaluator_port/results/$run_id/report" > out/report.html
node -e '
  const rows = JSON.parse(require("fs").readFileSync("out/results.json", "utf8"));
  const dense = {};
  rows.filter(r => r.method === "dense").forEach(r => dense[r.checkpointId] = r.top1);
  rows.sort((a, b) => a.epoch - b.epoch || a.method.localeCompare(b.method) || a.targetSparsity - b.targetSparsity);
  const line = (...c) => console.log("[run-local]   " + c.map((v, i) => String(v).padStart(i == 1 ? 16 : 9)).join(""));
  line("epoch", "method", "sparsity", "top-1", "drop", "img/s");
  for (const r of rows) line(r.epoch, r.method, r.targetSparsity.toFixed(2), (100 * r.top1).toFixed(2),
      r.method === "dense" ? "" : (100 * (dense[r.checkpointId] - r.top1)).toFixed(2), Math.round(r.imagesPerSecond));
'
say "wrote out/results.json ($(node -e 'console.log(JSON.parse(require("fs").readFileSync("out/results.json")).length)') evaluation events) and out/report.html"
curl -fsS "$run_url" > "out/runs/$run_id.result.json"
say "run details: out/runs/$run_id.result.json; models: out/models/"

if $serve; then
  say "serving: Kafka localhost:$kafka_port; the services and their endpoints:"
  for svc in "trainer:$trainer_port" "pruner:$pruner_port" "evaluator:$evaluator_port"; do
    say "  ${svc%%:*}-service  http://localhost:${svc#*:}  metrics /q/metrics  OpenAPI /q/openapi  Swagger UI /q/swagger-ui  health /q/health"
  done
  say "  results  http://localhost:$evaluator_port/results?runId=$run_id"
  say "  report   http://localhost:$evaluator_port/results/$run_id/report"
  say "  runs     http://localhost:$trainer_port/runs  (POST a run spec to train another model)"
  say "drop your own checkpoint (a SavedModel folder, tarred):"
  say "  tar -czf my-model.tar.gz -C path/to my-model"
  say "  curl -X POST 'http://localhost:$pruner_port/checkpoints?runId=mine&checkpointId=mine-1' \\"
  say "       -H 'Content-Type: application/gzip' --data-binary @my-model.tar.gz"
  say "or publish a checkpoint event to the topic 'checkpoints' on localhost:$kafka_port (docs/events.md)."
  say "Ctrl-C stops everything."
  wait "${pids[0]}"
else
  say "done: stopping"
fi
