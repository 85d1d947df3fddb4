#!/usr/bin/env bash
# The tricks of high-sparsity obs (issue 29), each alone and together, on one plainly trained ResNet-20 (width 16,
# batch norm, 4 epochs, seed 42: bench/fidelity.sh's plain training, trained here in-process the first time and kept in
# out/obs-tricks/plain). Every variant is reconstructed on 256 unlabeled training images, scored on the official
# Fashion-MNIST test split (10,000 images) and compared with the dense model image by image (paired 95% interval of
# the drop); each step timed. Writes bench/results/obs-tricks.json and obs-tricks.md.
#
#   bench/obs-tricks.sh        (about 10 minutes to train, then 15-30 s per row and sparsity, on 2 cores)
#
# Environment: ARCH (resnet20, default; small-cnn: the trainer's small CNN, trained here the same way, results in
# bench/results/obs-tricks-small-cnn.{json,md}), SPARSITIES (0.5,0.7,0.8,0.9), ROWS (the tricks: layer, global, dp,
# each with +greedy, +stagesN, +dense-inputs, +dampX, +imagesN, +maxN, +exactN, +bn-weighted (channels weighed by
# their batch norms, the pruner's default), +folded (batch-norm scales folded into the global allocation), +bn; see the
# default below). A run
# adds its rows to those recorded.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sparsities=${SPARSITIES:-0.5,0.7,0.8,0.9}
arch=${ARCH:-resnet20}
name=obs-tricks$([ "$arch" = resnet20 ] || echo "-$arch")
export ARCH=$arch
rows=${ROWS:-global global+greedy global+dense-inputs global+stages3 global+bn layer dp dp+stages3 dp+bn dp+stages3+bn}
source scripts/local-stack.sh
stack_init obs-tricks out/obs-tricks
bash scripts/fetch-dataset.sh | sed 's/^/[obs-tricks] /'
stack_build_bench
stack_say "rows: $rows; sparsities: $sparsities"
isa=$(stack_training_isa)
[ -n "$isa" ] && export ONEDNN_MAX_CPU_ISA=$isa
export TENSORFLOW_LIBRARY_PATH=$STACK_NATIVES OPT_OUT_TRACKING=true TF_CPP_MIN_LOG_LEVEL=1
# shellcheck disable=SC2086
stack_bench ObsTricks data/fashion-mnist out/obs-tricks bench/results/$name.json "$sparsities" $rows 2>&1 \
  | grep -v 'tensorflow/core\|cpu_feature\|rebuild TensorFlow\|^SLF4J'
node bench/obs-tricks-report.js bench/results/$name.json > bench/results/$name.md
stack_say "wrote bench/results/$name.json and $name.md"
