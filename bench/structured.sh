#!/usr/bin/env bash
# Structured pruning: smaller, faster models. Trains a ResNet-20-family model on Fashion-MNIST plainly (the filter-l1
# baseline) and once with TPP per pruning ratio (the filters chosen after the first third of the run, then driven to
# zero), with the same seed, data, optimizer and epochs; the pruner removes the filters (filter-l1 by L1 norm from the
# plain model at every ratio, tpp exactly TPP's choice), as removed and after a short fine-tuning; the evaluator
# scores every model on the 10,000 test images and measures its single-image latency. All through the real stack;
# the evaluator starts once training and pruning are over, so that nothing else runs while it times the models.
# Writes bench/results/structured.json and structured.md (accuracy, parameters, multiply-adds, size, latency).
#
#   bench/structured.sh                 (about 42 minutes on 2 cores with the defaults)
#   RESUME=1 bench/structured.sh        (train nothing: prune what the last run's checkpoints still lack, then score
#                                        every model again; minutes)
#
# Environment: DEPTH (20), WIDTH (16), EPOCHS (3), SEED (42), RATIOS (0.5,0.7,0.9), FINE_TUNE_EPOCHS (1, at least 1),
# and the ports of scripts/local-stack.sh. Everything it writes besides the results lives in out/structured/, emptied
# first (kept with RESUME, which moves only the earlier evaluations aside).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
depth=${DEPTH:-20}
width=${WIDTH:-16}
epochs=${EPOCHS:-3}
seed=${SEED:-42}
ratios=${RATIOS:-0.5,0.7,0.9}
fine_tune=${FINE_TUNE_EPOCHS:-1}
resume=${RESUME:-}
started=$(date +%s)
[ "$fine_tune" -ge 1 ] 2>/dev/null || { echo "FINE_TUNE_EPOCHS must be at least 1" >&2; exit 2; }

# Accuracy compared to tenths of a point: every variant scored on the whole split, not sequentially (±0.5 points).
export EVALUATOR_SEQUENTIAL_ENABLED=false
source scripts/local-stack.sh
if [ -n "$resume" ]; then
  ls out/structured/runs-*.json >/dev/null 2>&1 || { echo "RESUME: nothing trained in out/structured yet" >&2; exit 2; }
  rm -rf out/structured/models/evaluations.earlier
  [ -d out/structured/models/evaluations ] \
    && mv out/structured/models/evaluations out/structured/models/evaluations.earlier
else
  rm -rf out/structured
fi
stack_init structured out/structured
stack_check_prerequisites
work=$STACK_DATA
stack_build
stack_start_kafka

# One plain training (filter-l1's source) and one TPP training per ratio; the same optimizer for all: SGD with
# momentum, learning rate 0.05 on a cosine schedule, weight decay 5e-4 (TPP's CIFAR setting).
optimizer='{"name": "sgd", "learningRate": 0.05, "schedule": "cosine", "weightDecay": 0.0005}'
names=(plain)
declare -A methods=([plain]='{"unitNorm": false, "penalty": "none"}')
for ratio in ${ratios//,/ }; do
  name="tpp-r${ratio#0.}"
  names+=("$name")
  methods[$name]="{\"tpp\": {\"ratio\": $ratio}}"
done
run_id() { printf 'structured-%s' "$1"; }

# --- train and prune: every run trained, and every structured variant of its final checkpoint written -------------
count=$(tr ',' '\n' <<< "$ratios" | grep -c .)
variants_of() { [ "$1" = plain ] && echo $((2 * count)) || echo 2; }
written() { find "$STACK_MODELS/variants/$(run_id "$1")" -name pruning.json 2>/dev/null | grep -c . || true; }
if [ -z "$resume" ]; then
  stack_start trainer
  stack_wait_ready trainer
  for name in "${names[@]}"; do
    body=$(cat <<JSON
{"runId": "$(run_id "$name")", "checkpointEveryEpochs": $epochs,
 "training": {"architecture": {"name": "resnet", "depth": $depth, "width": $width}, "epochs": $epochs,
              "batchSize": 128, "seed": $seed, "logEverySteps": 100, "optimizer": $optimizer,
              "method": ${methods[$name]}}}
JSON
)
    stack_queue_run "$(run_id "$name")" "$body"
    stack_say "queued $(run_id "$name"): ${methods[$name]}"
  done
fi
stack_start pruner PRUNER_METHODS=filter-l1,tpp PRUNER_STRUCTURED_RATIOS="$ratios" \
  PRUNER_STRUCTURED_FINE_TUNE_EPOCHS="0,$fine_tune"
stack_wait_ready pruner
seen_runs=0
seen_variants=0
declare -A pruned=()
while [ ${#pruned[@]} -lt ${#names[@]} ]; do
  for part in pruner kafka; do stack_alive "$part"; done
  [ -n "$resume" ] || stack_alive trainer
  [ -n "$resume" ] || stack_echo_new seen_runs 'run structured-[^ ]*: .*' "$STACK_LOGS/trainer-service.log"
  stack_echo_new seen_variants 'variant structured-[^ ]*: .*' "$STACK_LOGS/pruner-service.log"
  for name in "${names[@]}"; do
    id=$(run_id "$name")
    [ -n "${pruned[$name]:-}" ] && continue
    status=SUCCEEDED
    [ -n "$resume" ] || status=$(stack_run_status "$id")
    case "$status" in
      FAILED|CANCELLED) stack_die "run $id did not succeed: $(curl -fsS "$(stack_url trainer)/runs/$id")" ;;
      SUCCEEDED) [ "$(written "$name")" -ge "$(variants_of "$name")" ] && pruned[$name]=1 ;;
    esac
  done
  sleep 10
done
# The last variant events go out after the last variant is written.
sleep 10
if [ -z "$resume" ]; then
  for name in "${names[@]}"; do
    curl -fsS "$(stack_url trainer)/runs/$(run_id "$name")" > "$work/runs-$name.json"
  done
  stack_stop trainer
fi
grep -h 'fine-tuning epoch' "$STACK_LOGS/pruner-service.log" >> "$work/fine-tuning.log" || true
stack_stop pruner

# --- score: alone on the machine, every final checkpoint dense and as each of its structured variants --------------
# (RESUME: under a new consumer group, which reads every checkpoint and variant event again.)
stack_start evaluator ${resume:+MP_MESSAGING_INCOMING_CHECKPOINTS_IN_GROUP_ID=rescore-$started \
  MP_MESSAGING_INCOMING_VARIANTS_IN_GROUP_ID=rescore-$started}
stack_wait_ready evaluator
declare -A scored_runs=()
while [ ${#scored_runs[@]} -lt ${#names[@]} ]; do
  for svc in evaluator kafka; do stack_alive "$svc"; done
  for name in "${names[@]}"; do
    id=$(run_id "$name")
    [ -n "${scored_runs[$name]:-}" ] && continue
    if [ "$(stack_scored "$id" "$epochs")" -ge "$((1 + $(variants_of "$name")))" ]; then
      scored_runs[$name]=1
      stack_say "$id: all $((1 + $(variants_of "$name"))) evaluations of its final checkpoint are in"
    fi
  done
  sleep 5
done

for name in "${names[@]}"; do
  curl -fsS "$(stack_url evaluator)/results?runId=$(run_id "$name")" > "$work/results-$name.json"
done
stack_stop_all
wall=$(( $(date +%s) - started ))
cat > "$work/settings.json" <<JSON
{"architecture": "resnet$depth", "depth": $depth, "width": $width, "epochs": $epochs, "batchSize": 128,
 "seed": $seed, "ratios": [$ratios], "fineTuneEpochs": $fine_tune, "optimizer": $optimizer,
 "wallSeconds": $wall, "resumed": $([ -n "$resume" ] && echo true || echo false),
 "trainings": [$(printf '"%s",' "${names[@]}" | sed 's/,$//')]}
JSON
mkdir -p bench/results
/usr/bin/python3 bench/structured_report.py "$work" bench/results "$work/settings.json"
