#!/usr/bin/env bash
# Models this project did not write, through the real pipeline: one of each kind of bench fixture (Keras TF2 CNN,
# CNN with batch norm, MLP on [-1, 784], MLP with Flatten first trained on raw pixels, a channels-first exporter with
# OIHW kernels and transposed dense weights, depthwise/einsum/batch-matmul ops, and a token MLP whose rows are mixed
# by a BatchMatMulV2 as ONNX converters write it), laid out as Keras and
# tf.saved_model.save write them, trained on the official Fashion-MNIST training split, registered with
# POST /checkpoints with their producer's declared preprocessing, pruned into its variants and scored on the 10,000 test
# images: once with the pruner's defaults (every kernel pruned), once with the first conv and the classifier left dense
# (pruner.exclude-first-conv, pruner.exclude-last-dense). Writes bench/results/models.json and models.md (the rows of
# docs/models.md).
#
#   bench/models.sh              (about 5 minutes on 2 cores with the defaults)
#
# Environment: STEPS (training steps of 32 images per model, default 3000), and the ports of scripts/local-stack.sh.
# Everything it writes besides the results lives in out/models-bench/, emptied first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
steps=${STEPS:-3000}
started=$(date +%s)

source scripts/local-stack.sh
rm -rf out/models-bench
stack_init models-bench out/models-bench
stack_check_prerequisites
stack_build
stack_build_bench
stack_start_kafka
stack_start evaluator
stack_wait_ready evaluator

mkdir -p bench/results
results=$STACK_DATA/models.json
# register <pruner settings, in words>: the models (trained on the first call) through the running pruner.
register() {
  stack_bench ForeignModelsReport register "$(stack_url pruner)" "$(stack_url evaluator)" "$STACK_MODELS" \
    "$root/data/fashion-mnist" "$steps" "$1" "$results" > "$STACK_LOGS/models-report.log" 2>&1 \
    || stack_die "registering the models failed: $(grep -v 'tensorflow/' "$STACK_LOGS/models-report.log" | tail -5)"
}
stack_start pruner
stack_wait_ready pruner
stack_say "training each kind of model ($steps steps each) and registering it: every kernel pruned"
register "Every kernel pruned (the pruner's defaults)"
stack_stop pruner
stack_start pruner PRUNER_EXCLUDE_FIRST_CONV=true PRUNER_EXCLUDE_LAST_DENSE=true
stack_wait_ready pruner
stack_say "registering them again: the first conv and the classifier left dense"
register "The first conv and the classifier left dense (pruner.exclude-first-conv, pruner.exclude-last-dense)"
[ -s "$results" ] || stack_die "no results; see $STACK_LOGS"
cp "$results" bench/results/models.json
stack_bench ForeignModelsReport report bench/results/models.json bench/results/models.md
if grep -q 'dead-lettering' "$STACK_LOGS"/*.log; then
  stack_die "a record was dead-lettered: $(grep -h 'dead-lettering' "$STACK_LOGS"/*.log | tail -1)"
fi
cat bench/results/models.md
stack_say "done in $(( $(date +%s) - started )) s; results in bench/results/models.md"
