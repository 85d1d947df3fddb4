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
# Its own ports, so that it can run beside ./run-local.sh --serve; the evaluator reads models from out/models.
export KAFKA_PORT=${KAFKA_PORT:-19092} EVALUATOR_PORT=${EVALUATOR_PORT:-18083} PARTITIONS=1
source scripts/local-stack.sh
rm -rf out/evaluator-memory
stack_init evaluator-memory out/evaluator-memory
mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench,local-kafka,evaluator-service -am >/dev/null
stack_start_kafka
stack_start evaluator EVALUATOR_MODEL_STORE="$root/out/models"
stack_wait_ready evaluator
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.prunestream.bench.EvaluatorMemory \
  "localhost:$STACK_KAFKA_PORT" "${STACK_PIDS[evaluator]}" "$model" bench/results/evaluator-memory.json "$n"
