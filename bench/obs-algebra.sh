#!/usr/bin/env bash
# Layer reconstruction's linear algebra on TensorFlow's kernels against a Java library (EJML): the upper Cholesky
# factor of a damped Hessian's inverse, the one factorisation SparseGPT needs per layer, at the layer input sizes of
# ResNet-20 and the small CNN. Writes bench/results/obs-algebra.json and obs-algebra.md.
#
#   bench/obs-algebra.sh [runs]        (about a minute on 2 cores; runs defaults to 7)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-7}
source scripts/local-stack.sh
stack_init obs-algebra out/obs-algebra
stack_build_bench
mkdir -p bench/results
TENSORFLOW_LIBRARY_PATH=$STACK_NATIVES OPT_OUT_TRACKING=true stack_bench ObsAlgebra "$runs" \
  bench/results/obs-algebra.json bench/results/obs-algebra.md 2>&1 | grep -v 'tensorflow/core\|cpu_feature\|rebuild TensorFlow\|^SLF4J'
