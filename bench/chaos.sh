#!/usr/bin/env bash
# Faults on purpose: runs the local pipeline (scripts/local-stack.sh, data in out/chaos/) with several checkpoints in
# flight and, during the run, kill -9s the pruner, the evaluator and the trainer at random points and restarts them,
# restarts the broker, delivers a batch of already-processed records again and injects poison records. Then it waits
# for the pipeline to go quiet and checks (bench's Chaos): exactly one stored evaluation per expected id (each
# checkpoint on the topic, dense, and its 8 variants), no variant id with two evaluation events, every variant folder
# whole (its digest matches its event), and the dead-letter topics holding the poison records and nothing else.
# Prints the counts, writes bench/results/chaos.json; exits 1 on any loss, duplicate or damage.
#
#   bench/chaos.sh                  (about 4 minutes on 2 cores)
#   OBJECT_STORE=1 bench/chaos.sh   the models in a bucket of a local S3 server, which also goes away for 60 s in the
#                                   middle of the run (writes bench/results/chaos-object-store.json)
#
# Environment: CHAOS_SEED (random by default; printed, so that a run can be repeated), EPOCHS (3) per training run,
# OBJECT_STORE (unset), and the ports of scripts/local-stack.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seed=${CHAOS_SEED:-$RANDOM}
object_store=false
[ -n "${OBJECT_STORE:-}" ] && object_store=true
epochs=${EPOCHS:-3}
RANDOM=$seed
started=$(date +%s)
# The magnitude plan, 8 variants per checkpoint, is what these reliability checks count; the calibrated methods
# (obs, bn) are measured by fidelity.sh.
export PRUNER_METHODS=threshold,threshold+mean PRUNER_CALIBRATION_MODES=none
# The pruner's plan: what each checkpoint must become.
suffixes=()
for method in t-layer-none tm-layer-filter; do
  for s in 3000 5000 7000 9000; do suffixes+=("$method-s$s"); done
done

source scripts/local-stack.sh
rm -rf out/chaos
stack_init chaos out/chaos
stack_check_prerequisites
stack_build
stack_build_bench
chaos() { stack_bench Chaos "$@"; }
bootstrap=localhost:$STACK_KAFKA_PORT
stack_say "seed $seed (CHAOS_SEED=$seed repeats this run's timings)"
stack_start_kafka
if $object_store; then stack_start_object_store; fi
for svc in trainer pruner evaluator; do stack_start "$svc"; done
for svc in trainer pruner evaluator; do stack_wait_ready "$svc"; done

start_run() {
  curl -fsS -X POST "$(stack_url trainer)/runs" -H 'Content-Type: application/json' \
    -d "{\"runId\": \"$1\", \"training\": {\"epochs\": $2}}" >/dev/null
  stack_say "training run $1 ($2 epochs)"
}
pause() { local s=$(( $1 + RANDOM % ($2 - $1 + 1) )); stack_say "next fault in $s s"; sleep "$s"; }
kill_and_restart() {
  stack_say "kill -9 $1-service (pid ${STACK_PIDS[$1]})"
  stack_stop "$1" KILL
  sleep 2
  stack_start "$1"
  stack_wait_ready "$1"
}

chaos poison "$bootstrap" 1
start_run chaos-a "$epochs"
start_run chaos-b "$epochs"
pause 20 40; kill_and_restart pruner
pause 10 30; kill_and_restart evaluator
pause 10 30; kill_and_restart trainer
# Runs live in the trainer's memory: the one it was training and the queued one died with it. Their checkpoints
# already published stay on the topic and must be processed; a new run keeps checkpoints in flight.
start_run chaos-c 2
pause 10 20
stack_say "restarting the broker"
stack_stop kafka
stack_start_kafka
pause 5 15
chaos redeliver "$bootstrap" 5
chaos poison "$bootstrap" 2
if $object_store; then
  # Every service keeps working on what it has; reads and writes of the bucket are retried with backoff until it is
  # back (prunestream.object-store.retry-for, 5 minutes), so the outage only delays.
  pause 5 15
  stack_say "object store outage: stopping the S3 server for 60 s"
  stack_stop object-store KILL
  sleep 60
  stack_start_object_store
fi

# --- wait: run chaos-c trained, then the stored evaluations unchanged for 30 s ---------------------------------------
for _ in $(seq 1 300); do
  for svc in trainer pruner evaluator kafka; do stack_alive "$svc"; done
  status=$(curl -fsS "$(stack_url trainer)/runs/chaos-c" 2>/dev/null | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p' || true)
  [ "$status" = SUCCEEDED ] && break
  [ "$status" = FAILED ] && stack_die "run chaos-c failed; see $STACK_LOGS/trainer-service.log"
  sleep 2
done
stack_say "training done; waiting for the pipeline to go quiet"
count() { curl -fsS "$(stack_url evaluator)/results" 2>/dev/null | grep -o '"eventType":"evaluation"' | wc -l; }
last=-1
quiet=0
for _ in $(seq 1 60); do
  now=$(count)
  if [ "$now" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; last=$now; fi
  [ "$quiet" -ge 3 ] && break
  sleep 10
done
stack_say "$last evaluations stored; checking"
mkdir -p bench/results
models=$STACK_MODELS results=bench/results/chaos.json
if $object_store; then
  # The pruner's local copies of what it published: the same files as the bucket's, without the manifests.
  models=$STACK_DATA/local/pruner/objects/models results=bench/results/chaos-object-store.json
fi
set +e
chaos check "$bootstrap" "$(stack_url evaluator)" "$models" "$results" "${suffixes[@]}"
verdict=$?
set -e
stack_say "wall time $(( $(date +%s) - started )) s, seed $seed: $([ "$verdict" -eq 0 ] && echo 'nothing lost, nothing duplicated' || echo 'FAILED')"
exit "$verdict"
