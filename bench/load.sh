#!/usr/bin/env bash
# Load: the local pipeline (scripts/local-stack.sh, data in out/load/) with REPLICAS pruners and REPLICAS evaluators
# (processes on this machine; each service's replicas share its consumer group) on topics of PARTITIONS partitions.
# The trainer trains the small CNN for one epoch; once its checkpoint is pruned and scored, bench's LoadTest drops
# CHECKPOINTS copies of that checkpoint event (fresh run ids, so spread over the partitions) at once, samples each
# group's consumer lag every second and, when all is scored, checks that every variant was pruned once and scored
# once and that the store holds one result per id. Writes bench/results/load.md and load.json; exits 1 on any loss
# or duplicate.
#
#   bench/load.sh           (about 10 minutes on 2 cores)
#
# Environment: CHECKPOINTS (50), REPLICAS (2), PARTITIONS (4), RESULTS (bench/results/load: .md and .json are added),
# EVALUATOR_PRECISION (float32; bfloat16 on a CPU that has it), and the ports of scripts/local-stack.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
checkpoints=${CHECKPOINTS:-50}
replicas=${REPLICAS:-2}
results=${RESULTS:-bench/results/load}
export PARTITIONS=${PARTITIONS:-4}
[ "$replicas" -ge 1 ] && [ "$replicas" -le "$PARTITIONS" ] \
  || { echo "load: REPLICAS=$replicas must be between 1 and PARTITIONS=$PARTITIONS" >&2; exit 2; }
started=$(date +%s)

# The magnitude plan, 8 variants per checkpoint, is what these reliability checks count; the calibrated methods
# (obs, bn) are measured by fidelity.sh.
export PRUNER_METHODS=threshold,threshold+mean PRUNER_CALIBRATION_MODES=none
source scripts/local-stack.sh
rm -rf out/load
stack_init load out/load
stack_check_prerequisites
stack_build
stack_build_bench
stack_start_kafka
parts=(trainer)
for n in $(seq 1 "$replicas"); do
  suffix=$([ "$n" -eq 1 ] || echo ".$n")
  parts+=("pruner$suffix" "evaluator$suffix")
done
for part in "${parts[@]}"; do stack_start "$part"; done
for part in "${parts[@]}"; do stack_wait_ready "$part" 180; done

curl -fsS -X POST "$(stack_url trainer)/runs" -H 'Content-Type: application/json' \
  -d '{"runId": "load-source", "training": {"epochs": 1}}' >/dev/null
stack_say "training the small CNN for one epoch (run load-source): the checkpoint every load event points to"
scored() { curl -fsS "$(stack_url evaluator)/results?runId=load-source" 2>/dev/null | grep -o '"eventType":"evaluation"' | wc -l; }
for _ in $(seq 1 600); do
  for part in kafka "${parts[@]}"; do stack_alive "$part"; done
  [ "$(scored)" -ge 9 ] && break
  sleep 2
done
[ "$(scored)" -ge 9 ] || stack_die "the trainer's checkpoint was not scored 9 times in 20 minutes"
stack_stop trainer

logs=()
for part in "${parts[@]}"; do [ "$part" = trainer ] || logs+=("$part=$(stack_log "$part")"); done
stack_say "dropping $checkpoints checkpoint events at once; $replicas pruner(s) and $replicas evaluator(s), $PARTITIONS partitions"
status=0
stack_bench LoadTest "localhost:$STACK_KAFKA_PORT" "$STACK_MODELS" out/load/report "$checkpoints" 9 "${logs[@]}" \
  || status=$?
for part in kafka "${parts[@]}"; do [ "$part" = trainer ] || stack_alive "$part"; done

{
  echo "# Load: $checkpoints checkpoint events at once, $replicas pruner(s) and $replicas evaluator(s)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`bench/load.sh\` (CHECKPOINTS=$checkpoints REPLICAS=$replicas PARTITIONS=$PARTITIONS),"
  echo "wall time $(( $(date +%s) - started )) s including the build check, start-up and the one-epoch training;"
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -n 1)."
  echo "Every checkpoint event is the trainer's small-CNN checkpoint under a fresh run id; each becomes 8 variants"
  echo "(the magnitude plan) and 9 evaluations (dense + variants) on the 10,000 official Fashion-MNIST test images,"
  echo "scored in ${EVALUATOR_PRECISION:-float32} (evaluator.precision)."
  echo
  cat out/load/report/load.md
} > "$results.md"
cp out/load/report/load.json "$results.json"
stack_say "wrote $results.md ($([ "$status" -eq 0 ] && echo "all processed, none twice" || echo "LOSS OR DUPLICATES"))"
exit "$status"
