#!/usr/bin/env bash
# Resident memory of evaluator-service over many evaluations: starts a broker and the evaluator on their own ports,
# feeds it N variant events (one real model under N ids), and records RSS after the first and the last, with the
# median evaluation time and images/s. Needs a model: by default the last checkpoint ./run-local.sh left in
# out/models. About 4 minutes for N=100 on 2 cores.
#
#   bench/evaluator-memory.sh [N] [model folder]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-100}
model=${2:-$(ls -d out/models/checkpoints/*/*/ 2>/dev/null | tail -n 1)}
[ -n "$model" ] && [ -f "$model/saved_model.pb" ] || { echo "no model: run ./run-local.sh first or name one" >&2; exit 1; }
mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench,local-kafka,evaluator-service -am >/dev/null
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait; rm -rf "$work"' EXIT
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$(ls local-kafka/target/local-kafka-*.jar | head -n 1):$(cat local-kafka/target/classpath.txt)" \
  io.prunestream.kafka.LocalKafka --port 19092 --data-dir "$work/kafka" --partitions 1 > "$work/kafka.log" 2>&1 &
pids+=($!)
until grep -q '^local-kafka: ready' "$work/kafka.log"; do sleep 0.5; done
TENSORFLOW_LIBRARY_PATH=$root/target/natives/tensorflow-linux-x86_64 OPT_OUT_TRACKING=true TF_CPP_MIN_LOG_LEVEL=1 \
KAFKA_BOOTSTRAP_SERVERS=localhost:19092 QUARKUS_HTTP_PORT=18083 EVALUATOR_MODEL_STORE=$root/out/models \
EVALUATOR_DATASET_DIR=$root/data/fashion-mnist \
  java -Xmx2g -jar evaluator-service/target/quarkus-app/quarkus-run.jar > "$work/evaluator.log" 2>&1 &
evaluator=$!
pids+=($evaluator)
until grep -q 'scoring on' "$work/evaluator.log"; do sleep 0.5; done
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.prunestream.bench.EvaluatorMemory \
  localhost:19092 "$evaluator" "$model" bench/results/evaluator-memory.json "$n"
