#!/usr/bin/env bash
# Speed against what a user would pick instead. Each figure is a median of RUNS runs (default 5) after warm-ups;
# each ratio compares figures of this one run. Sections, all by default: pruning, scoring, pipeline.
#
#   bench/speed.sh [pruning] [scoring] [pipeline]      (about 4 minutes on 2 cores for all three)
#
# Pruning: global magnitude pruning of ResNet-50-shaped weights (53 convolutions and the classifier, 25.5 million
# weights, He-initialised, seed 50) to SPARSITY (default 0.7) with pruning-core (selection alone; threshold;
# threshold+mean per filter), against a full sort of all magnitudes, against PyTorch's
# torch.nn.utils.prune.global_unstructured with L1Unstructured on the very same weights, and against two references
# in C++ on the same magnitudes (bench/nth_element.cpp, g++ -O2, one thread): std::nth_element, and one streaming pass
# (a sum), the memory floor.
#
# Scoring and pipeline run the local stack (scripts/local-stack.sh, data in out/speed/) and let the trainer train the
# small CNN for one epoch (hyperspherical learning + the default penalty). Scoring: the 10,000 test images through
# evaluator-service (DJL), through a raw TensorFlow session on the same SavedModel (bench's ScoringSpeed), and through
# PyTorch on CPU running the same network with the same weights (bench/torch_score.py), batch 256 for all three; on
# a CPU with bfloat16 instructions, the evaluator and the raw session again with evaluator.precision=bfloat16.
# Pipeline: the trainer's checkpoint event republished under fresh ids, one at a time, and the time from its record
# to the last of its evaluation records (dense + the default method set's variants), with the first for reference;
# with sequential evaluation (the default), then again with the evaluator restarted without it
# (EVALUATOR_SEQUENTIAL_ENABLED=false): the images each scored, and whether each sequential drop's interval holds the
# drop the whole split gives the same variant.
#
# PyTorch is Debian's python3-torch, g++ Debian's g++, each installed if missing. Writes bench/results/speed.json and speed.md (the sections
# not run keep their previous results).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sparsity=${SPARSITY:-0.7}
runs=${RUNS:-5}
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(pruning scoring pipeline)
wants() { [[ " ${sections[*]} " == *" $1 "* ]]; }
for section in "${sections[@]}"; do
  case "$section" in pruning|scoring|pipeline) ;; *) echo "speed: unknown section '$section'" >&2; exit 2 ;; esac
done
python=/usr/bin/python3
work=out/bench
mkdir -p "$work" bench/results

source scripts/require-package.sh
require_package speed python3-torch "$python" -c 'import torch'
wants pruning && require_package speed g++ g++ --version
mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench -am >/dev/null

bench_cp="bench/target/classes:$(cat bench/target/classpath.txt)"
logging=-Djava.util.logging.manager=org.jboss.logmanager.LogManager
if wants pruning; then
  echo "speed: pruning with pruning-core"
  # A heap sized and touched up front: growing it during the rounds would be timed as pruning.
  java -Xms6g -Xmx6g -XX:+AlwaysPreTouch -cp "$bench_cp" io.prunestream.bench.PruningSpeed \
    "$work/pruning-java.json" "$work/resnet50-weights.f32" "$sparsity" "$runs" 2
  echo "speed: pruning with PyTorch"
  "$python" bench/torch_prune.py "$work/resnet50-weights.f32" "$work/pruning-torch.json" "$sparsity" "$runs" 2
  echo "speed: the references, std::nth_element and one streaming pass (C++, one thread)"
  g++ -O2 -std=c++17 -o "$work/nth_element" bench/nth_element.cpp
  "$work/nth_element" "$work/resnet50-weights.f32" "$sparsity" "$runs" 2 "$work/pruning-cpp.json"
fi

# bfloat16 scoring (evaluator.precision) is measured too where the CPU has the instructions for it.
bfloat16=no
grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo 2>/dev/null && bfloat16=yes
if wants scoring || wants pipeline; then
  source scripts/local-stack.sh
  rm -rf out/speed
  stack_init speed out/speed
  stack_check_prerequisites
  stack_build
  stack_start_kafka
  for svc in trainer pruner evaluator; do stack_start "$svc"; done
  for svc in trainer pruner evaluator; do stack_wait_ready "$svc"; done
  model=$STACK_MODELS/checkpoints/speed-cnn/speed-cnn-e001
  # The pipeline must be idle before anything is timed: the trainer's checkpoint fully pruned and scored (dense + its
  # variants under the default method set, as many as the pruner wrote).
  stack_train_and_settle speed-cnn "$STACK_MODELS/variants/speed-cnn"
  expected=$STACK_EVALUATIONS
  if wants pipeline; then
    java "$logging" -cp "$bench_cp" io.prunestream.bench.PipelineLatency "localhost:$STACK_KAFKA_PORT" "$work/pipeline.json" "$expected" \
      "$runs" 1
    stack_stop evaluator
    stack_start evaluator EVALUATOR_SEQUENTIAL_ENABLED=false
    stack_wait_ready evaluator
    java "$logging" -cp "$bench_cp" io.prunestream.bench.PipelineLatency "localhost:$STACK_KAFKA_PORT" \
      "$work/pipeline-whole-split.json" "$expected" "$runs" 1
    stack_stop evaluator
    stack_start evaluator
    stack_wait_ready evaluator
  fi
  rm -f "$work/scoring-djl-bfloat16.json" "$work/scoring-tf-bfloat16.json"
  if wants scoring; then
    java "$logging" -cp "$bench_cp" io.prunestream.bench.EvaluatorMemory "localhost:$STACK_KAFKA_PORT" \
      "${STACK_PIDS[evaluator]}" "$model" "$work/scoring-djl.json" "$((runs + 2))"
    if [ "$bfloat16" = yes ]; then
      stack_stop evaluator
      stack_start evaluator EVALUATOR_PRECISION=bfloat16
      stack_wait_ready evaluator
      java "$logging" -cp "$bench_cp" io.prunestream.bench.EvaluatorMemory "localhost:$STACK_KAFKA_PORT" \
        "${STACK_PIDS[evaluator]}" "$model" "$work/scoring-djl-bfloat16.json" "$((runs + 2))"
    fi
  fi
  stack_stop_all
  if wants scoring; then
    for precision in float32 $([ "$bfloat16" = no ] || echo bfloat16); do
      suffix=$([ "$precision" = float32 ] || echo "-$precision")
      TF_CPP_MIN_LOG_LEVEL=1 java "$logging" -Xmx3g -DTENSORFLOW_LIBRARY_PATH="$STACK_NATIVES" \
        -DOPT_OUT_TRACKING=true -cp "$bench_cp" io.prunestream.bench.ScoringSpeed "$model" data/fashion-mnist \
        "$work/scoring-export" "$work/scoring-tf$suffix.json" "$runs" 2 256 "$precision"
    done
    "$python" bench/torch_score.py "$work/scoring-export" "$work/scoring-torch.json" "$runs" 2
  fi
fi

name=speed
[ ${#sections[@]} -eq 3 ] || name=speed-$(IFS=-; echo "${sections[*]}")
"$python" bench/speed_report.py "$work" bench/results "$name"
