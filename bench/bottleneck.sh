#!/usr/bin/env bash
# AutoBot's trainable bottleneck against filter-l1 at the same multiply-adds. Trains one ResNet-20-family model on
# Fashion-MNIST plainly; the pruner trains gates on a quarter of the training split for each multiply-add target (the
# weights frozen), removes the channels they close (stages included), and removes filter-l1's smallest inner filters
# at the ratio whose multiply-adds come closest to the same target (and at RATIOS, its usual ratios); every variant
# also after a short fine-tuning. The evaluator, alone on the machine once training and pruning are over, scores
# every model on the 10,000 test images. Writes bench/results/bottleneck.json and bottleneck.md (accuracy before and
# after fine-tuning, multiply-adds, parameters, latency, and the gate-training time of each target).
#
#   bench/bottleneck.sh                 (about 30 minutes on 2 cores with the defaults)
#
# Environment: DEPTH (20), WIDTH (16), EPOCHS (3), SEED (42), TARGETS (0.5,0.35: shares of the multiply-adds kept),
# RATIOS (0.5), FINE_TUNE_EPOCHS (1; 0 for none), and the ports of scripts/local-stack.sh. Everything it writes
# besides the results lives in out/bottleneck/, emptied first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
depth=${DEPTH:-20}
width=${WIDTH:-16}
epochs=${EPOCHS:-3}
seed=${SEED:-42}
targets=${TARGETS:-0.5,0.35}
ratios=${RATIOS:-0.5}
fine_tune=${FINE_TUNE_EPOCHS:-1}
started=$(date +%s)
[ "$fine_tune" -ge 0 ] 2>/dev/null || { echo "FINE_TUNE_EPOCHS must be 0 or more" >&2; exit 2; }
tunings=0
[ "$fine_tune" -eq 0 ] || tunings="0,$fine_tune"

# Accuracy compared to tenths of a point: every variant scored on the whole split, not sequentially (±0.5 points).
export EVALUATOR_SEQUENTIAL_ENABLED=false
source scripts/local-stack.sh
rm -rf out/bottleneck
stack_init bottleneck out/bottleneck
stack_check_prerequisites
work=$STACK_DATA
stack_build
stack_start_kafka

# The same training as bench/structured.sh's plain model.
optimizer='{"name": "sgd", "learningRate": 0.05, "schedule": "cosine", "weightDecay": 0.0005}'
run_id=bottleneck-plain
stack_start trainer
stack_wait_ready trainer
stack_queue_run "$run_id" "$(cat <<JSON
{"runId": "$run_id", "checkpointEveryEpochs": $epochs,
 "training": {"architecture": {"name": "resnet", "depth": $depth, "width": $width}, "epochs": $epochs,
              "batchSize": 128, "seed": $seed, "logEverySteps": 100, "optimizer": $optimizer,
              "method": {"unitNorm": false, "penalty": "none"}}}
JSON
)"
stack_say "queued $run_id: resnet$depth width $width, $epochs epochs"
stack_start pruner PRUNER_METHODS=filter-l1,bottleneck PRUNER_STRUCTURED_RATIOS="$ratios" \
  PRUNER_STRUCTURED_FINE_TUNE_EPOCHS="$tunings" PRUNER_BOTTLENECK_FLOPS_TARGETS="$targets"
stack_wait_ready pruner

# Per fine-tuning length: filter-l1 at each ratio, and bottleneck and filter-l1 at each target.
count_of() { tr ',' '\n' <<< "$1" | grep -c .; }
expected=$(( ($(count_of "$ratios") + 2 * $(count_of "$targets")) * $(count_of "$tunings") ))
written() { find "$STACK_MODELS/variants/$run_id" -name pruning.json 2>/dev/null | grep -c . || true; }
seen_runs=0
seen_variants=0
while :; do
  for part in trainer pruner kafka; do stack_alive "$part"; done
  stack_echo_new seen_runs "run $run_id: .*" "$STACK_LOGS/trainer-service.log"
  stack_echo_new seen_variants 'variant bottleneck-[^ ]*: .*' "$STACK_LOGS/pruner-service.log"
  status=$(stack_run_status "$run_id")
  case "$status" in
    FAILED|CANCELLED) stack_die "run $run_id did not succeed: $(curl -fsS "$(stack_url trainer)/runs/$run_id")" ;;
  esac
  [ "$status" = SUCCEEDED ] && [ "$(written)" -ge "$expected" ] && break
  if grep -q 'dead-lettering a checkpoint' "$STACK_LOGS/pruner-service.log"; then
    stack_die "the pruner refused a checkpoint: $(grep 'dead-lettering a checkpoint' "$STACK_LOGS/pruner-service.log" \
      | tail -1)"
  fi
  sleep 10
done
# The last variant events go out after the last variant is written.
sleep 10
curl -fsS "$(stack_url trainer)/runs/$run_id" > "$work/runs-plain.json"
stack_stop trainer
for record in "$STACK_MODELS/variants/$run_id"/*/pruning.json; do
  cp "$record" "$work/pruning-$(basename "$(dirname "$record")").json"
done
grep -h 'gates trained\|fine-tuning epoch' "$STACK_LOGS/pruner-service.log" > "$work/pruner.log" || true
stack_stop pruner

# --- score: alone on the machine, the final checkpoint dense and as each of its variants ---------------------------
stack_start evaluator
stack_wait_ready evaluator
while [ "$(stack_scored "$run_id" "$epochs")" -lt "$((1 + expected))" ]; do
  for svc in evaluator kafka; do stack_alive "$svc"; done
  sleep 5
done
stack_say "$run_id: all $((1 + expected)) evaluations of its final checkpoint are in"
curl -fsS "$(stack_url evaluator)/results?runId=$run_id" > "$work/results-plain.json"
stack_stop_all
wall=$(( $(date +%s) - started ))
cat > "$work/settings.json" <<JSON
{"architecture": "resnet$depth", "depth": $depth, "width": $width, "epochs": $epochs, "batchSize": 128,
 "seed": $seed, "targets": [$targets], "ratios": [$ratios], "fineTuneEpochs": $fine_tune, "optimizer": $optimizer,
 "wallSeconds": $wall}
JSON
mkdir -p bench/results
/usr/bin/python3 bench/bottleneck_report.py "$work" bench/results "$work/settings.json"
