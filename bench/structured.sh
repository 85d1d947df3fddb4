#!/usr/bin/env bash
# Structured pruning: smaller, faster models. Trains a ResNet-20-family model on Fashion-MNIST plainly (the filter-l1
# baseline) and once with TPP per pruning ratio (the filters chosen after the first third of the run, then driven to
# zero), with the same seed, data, optimizer and epochs; the pruner removes the filters (filter-l1 by L1 norm from the
# plain model at every ratio, tpp exactly TPP's choice), as removed and after a short fine-tuning; the evaluator
# scores every model on the 10,000 test images and measures its single-image latency. All through the real stack.
# Writes bench/results/structured.json and structured.md (accuracy, parameters, multiply-adds, size, latency).
#
#   bench/structured.sh        (about 50 minutes on 2 cores with the defaults)
#
# Environment: DEPTH (20), WIDTH (16), EPOCHS (3), SEED (42), RATIOS (0.5,0.7,0.9), FINE_TUNE_EPOCHS (1), and the
# ports of scripts/local-stack.sh. Everything it writes besides the results lives in out/structured/, emptied first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
depth=${DEPTH:-20}
width=${WIDTH:-16}
epochs=${EPOCHS:-3}
seed=${SEED:-42}
ratios=${RATIOS:-0.5,0.7,0.9}
fine_tune=${FINE_TUNE_EPOCHS:-1}
started=$(date +%s)

source scripts/local-stack.sh
rm -rf out/structured
stack_init structured out/structured
stack_check_prerequisites
work=$STACK_DATA
stack_build
stack_start_kafka
stack_start trainer
stack_start pruner PRUNER_METHODS=filter-l1,tpp PRUNER_STRUCTURED_RATIOS="$ratios" \
  PRUNER_STRUCTURED_FINE_TUNE_EPOCHS="0,$fine_tune"
stack_start evaluator
for svc in trainer pruner evaluator; do stack_wait_ready "$svc"; done

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

# --- wait: every run trained, and its final checkpoint scored dense and as each of its structured variants ---------
count=$(tr ',' '\n' <<< "$ratios" | grep -c .)
expected_of() { [ "$1" = plain ] && echo $((1 + 2 * count)) || echo 3; }
seen=0
declare -A done_runs=()
while [ ${#done_runs[@]} -lt ${#names[@]} ]; do
  for svc in trainer pruner evaluator kafka; do stack_alive "$svc"; done
  stack_echo_new seen '\(run\|variant\) structured-[^ ]*: .*' "$STACK_LOGS/trainer-service.log" \
    "$STACK_LOGS/pruner-service.log"
  for name in "${names[@]}"; do
    id=$(run_id "$name")
    [ -n "${done_runs[$name]:-}" ] && continue
    case "$(stack_run_status "$id")" in
      FAILED|CANCELLED) stack_die "run $id did not succeed: $(curl -fsS "$(stack_url trainer)/runs/$id")" ;;
      SUCCEEDED)
        if [ "$(stack_scored "$id" "$epochs")" -ge "$(expected_of "$name")" ]; then
          done_runs[$name]=1
          stack_say "$id: all $(expected_of "$name") evaluations of its final checkpoint are in"
        fi ;;
    esac
  done
  sleep 10
done

for name in "${names[@]}"; do
  stack_save_run "$(run_id "$name")" "$name" "$work"
done
grep -h 'fine-tuning epoch' "$STACK_LOGS/pruner-service.log" > "$work/fine-tuning.log" || true
stack_stop_all
wall=$(( $(date +%s) - started ))
cat > "$work/settings.json" <<JSON
{"architecture": "resnet$depth", "depth": $depth, "width": $width, "epochs": $epochs, "batchSize": 128,
 "seed": $seed, "ratios": [$ratios], "fineTuneEpochs": $fine_tune, "optimizer": $optimizer,
 "wallSeconds": $wall, "trainings": [$(printf '"%s",' "${names[@]}" | sed 's/,$//')]}
JSON
mkdir -p bench/results
/usr/bin/python3 bench/structured_report.py "$work" bench/results "$work/settings.json"
