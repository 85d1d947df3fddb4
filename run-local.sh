#!/usr/bin/env bash
# Runs the pipeline on this machine: builds what is missing, fetches the dataset, starts a real Kafka broker
# (KRaft, from the Kafka jars; no Docker) and the services as processes, with logs under out/logs/.
#
#   ./run-local.sh                   run, report, stop everything
#   ./run-local.sh --serve           keep everything running until Ctrl-C
#   ./run-local.sh --rebuild         rebuild even if the build outputs exist
#   ./run-local.sh --dataset NAME    train, prune and score on dataset NAME: one the services' catalogues hold, or
#                                    fashion-colour (Fashion-MNIST as 32x32 colour scenes, made and registered here)
#   ./run-local.sh --object-store    keep models and datasets in a bucket of a local S3 server (S3Proxy), as on a
#                                    cluster without a shared volume; each service keeps only its own local copies
#
# Environment: KAFKA_PORT (default 9092), TRAINER_PORT (8081), PRUNER_PORT (8082), EVALUATOR_PORT (8083),
#              OBJECT_STORE_PORT (9400), PARTITIONS (default 4),
#              EPOCHS (default 2) for the default experiment.
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
serve=false
rebuild=false
object_store=false
dataset=fashion-mnist
while [ $# -gt 0 ]; do
  case "$1" in
    --serve) serve=true ;;
    --rebuild) rebuild=true ;;
    --dataset) [ $# -ge 2 ] || { echo "run-local: --dataset needs a name" >&2; exit 2; }; dataset=$2; shift ;;
    --object-store) object_store=true ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-local: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
epochs=${EPOCHS:-2}
source scripts/local-stack.sh
stack_init run-local out
stack_check_prerequisites
say() { stack_say "$@"; }
die() { stack_die "$@"; }
logs=$STACK_LOGS
trainer_port=${STACK_PORTS[trainer]}
pruner_port=${STACK_PORTS[pruner]}
evaluator_port=${STACK_PORTS[evaluator]}

if $rebuild; then stack_build --rebuild; else stack_build; fi
stack_start_kafka
if $object_store; then stack_start_object_store; fi

run_id="local-$(date +%Y%m%d-%H%M%S)"
mkdir -p out/runs
cat > "out/runs/$run_id.json" <<JSON
{"runId": "$run_id", "dataset": "$dataset", "training": {"epochs": $epochs}}
JSON
stack_start pruner
if [ "$dataset" = fashion-colour ]; then
  stack_wait_ready pruner
fi
if [ "$dataset" = fashion-colour ] && ! curl -fsS "http://localhost:$pruner_port/datasets" | grep -q '"fashion-colour"'; then
  # Made from the official Fashion-MNIST and registered through the pruner, as a user registers a dataset.
  say "making fashion-colour: the official Fashion-MNIST as 32x32 colour scenes (out/datasets/fashion-colour.npz)"
  mkdir -p out/datasets
  java -cp "$root/pruner-service/target/quarkus-app/lib/main/*" io.prunestream.datasets.ColourScenes \
    data/fashion-mnist out/datasets/fashion-colour.npz
  classes=tshirt-top,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot
  curl -fsS -X POST -H 'Content-Type: application/zip' --data-binary @out/datasets/fashion-colour.npz \
    "http://localhost:$pruner_port/datasets/fashion-colour?classes=$classes" > /dev/null \
    || die "the pruner refused fashion-colour; see $logs/pruner-service.log"
  say "registered fashion-colour in the model store's datasets/ for every service"
fi
stack_start trainer TRAINER_BOOT_RUN_FILE="$root/out/runs/$run_id.json"
stack_start evaluator

run_url="http://localhost:$trainer_port/runs/$run_id"
say "default experiment: run $run_id, the small CNN with hyperspherical learning and the default penalty, $epochs epochs, on $dataset"
seen=0
while :; do
  stack_alive trainer
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
variants=out/models/variants/$run_id
# In a bucket the pruner keeps a local copy of what it wrote: the same files, read here.
$object_store && variants=out/local/pruner/objects/models/variants/$run_id
say "waiting for the pruner's variants of every checkpoint (last: $last_checkpoint)"
for _ in $(seq 1 300); do
  stack_alive pruner
  grep -q "checkpoint $last_checkpoint: published" "$logs/pruner-service.log" && break
  sleep 1
done
grep -q "checkpoint $last_checkpoint: published" "$logs/pruner-service.log" \
  || die "no variants of $last_checkpoint after 5 minutes; see $logs/pruner-service.log"
say "variants of $last_checkpoint ($variants/):"
# node is a prerequisite (README): it reads the JSON the services answer.
node -e '
  const fs = require("fs");
  const rows = process.argv.slice(1).map(f => JSON.parse(fs.readFileSync(f, "utf8")));
  rows.sort((a, b) => a.method.localeCompare(b.method) || a.targetSparsity - b.targetSparsity);
  const line = (...c) => console.log("[run-local]   " + c.map((v, i) => String(v).padStart(i ? 11 : 15)).join(""));
  line("method", "target", "achieved", "prune ms", "dense kB", "sparse kB");
  for (const r of rows) line(r.method, r.targetSparsity, r.achievedSparsity.toFixed(4), r.pruneMillis,
      Math.round(r.denseBytes / 1000), Math.round(r.storageBytes / 1000));
' "$variants/$last_checkpoint"-*/pruning.json
# --- evaluations -------------------------------------------------------------------------------------------
results_url="http://localhost:$evaluator_port/results?runId=$run_id"
expected=$(( $(ls -d "$variants/$last_checkpoint"-* | wc -l) + 1 ))
say "waiting for the $expected evaluations of $last_checkpoint (dense + variants)"
count_last() {
  curl -fsS "$results_url" 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      try { console.log(JSON.parse(s).filter(e => e.checkpointId === process.argv[1]).length); }
      catch (e) { console.log(0); } });' "$last_checkpoint" || echo 0
}
scored=0
for _ in $(seq 1 600); do
  stack_alive evaluator
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
  const widths = [9, 16, 9, 9, 7, 9, 17, 10, 8, 11, 8];
  const line = (...c) => console.log("[run-local]   " + c.map((v, i) => String(v).padStart(widths[i])).join(""));
  const pct = v => (100 * v).toFixed(2);
  // Each top-1 with the half-width of its 95% interval; each drop with its paired 95% interval and McNemar p; a
  // variant scored sequentially with the images it took and why it stopped.
  line("epoch", "method", "sparsity", "top-1", "±95%", "drop", "drop 95%", "p", "images", "stop", "img/s");
  for (const r of rows) line(r.epoch, r.method, r.targetSparsity.toFixed(2), pct(r.top1),
      r.top1Interval ? (50 * (r.top1Interval.high - r.top1Interval.low)).toFixed(2) : "",
      r.method === "dense" ? "" : pct(r.dropVsDense ? r.dropVsDense.estimate : dense[r.checkpointId] - r.top1),
      r.dropVsDense ? "[" + pct(r.dropVsDense.low) + ", " + pct(r.dropVsDense.high) + "]" : "",
      !r.disagreements ? "" : r.disagreements.pValue === 0 ? "<1e-300" : r.disagreements.pValue.toPrecision(2),
      r.samples, r.stopping ? r.stopping.reason : "", Math.round(r.imagesPerSecond));
  const scored = rows.filter(r => r.checkpointId === process.argv[1]).reduce((n, r) => n + r.samples, 0);
  console.log("[run-local]   images scored for " + process.argv[1] + ": " + scored);
' "$last_checkpoint"
say "wrote out/results.json ($(node -e 'console.log(JSON.parse(require("fs").readFileSync("out/results.json")).length)') evaluation events) and out/report.html"
curl -fsS "$run_url" > "out/runs/$run_id.result.json"
if $object_store; then
  say "run details: out/runs/$run_id.result.json; models: s3://models/ (the S3 server keeps them in out/object-store/models/)"
else
  say "run details: out/runs/$run_id.result.json; models: out/models/"
fi

if $serve; then
  say "serving: Kafka localhost:$STACK_KAFKA_PORT; the services and their endpoints:"
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
  say "or publish a checkpoint event to the topic 'checkpoints' on localhost:$STACK_KAFKA_PORT (docs/events.md)."
  say "Ctrl-C stops everything."
  wait "${STACK_PIDS[kafka]}"
else
  say "done: stopping"
fi
