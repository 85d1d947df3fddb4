#!/usr/bin/env bash
# A 1 GB SavedModel through the pipeline with every service's heap capped at 512 MB: the wide Keras MLP (16 hidden
# layers of 4096 units, 1.02 GB of float32 weights, saved without its optimizer) trained for STEPS steps on
# Fashion-MNIST, put in a bucket of the local S3 server (S3Proxy), its checkpoint event sent; the pruner (-Xmx512m)
# prunes it a kernel at a time (its weights are more than pruner.weights-heap-share of the heap) at 50% and 90%, the
# evaluator (-Xmx512m) scores the model and its 4 variants on the 10,000 test images. Records the time from the event
# to the last evaluation, each score, and both services' peak resident memory; fails on an OutOfMemoryError or a
# dead letter. Writes bench/results/large-model.json and large-model.md. About 20 minutes on 2 cores.
#
#   bench/large-model.sh          (STEPS: training steps of 32 images, default 200)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
steps=${STEPS:-200}
work=out/large-model
# The model is kept between runs with the same STEPS (training and writing it takes minutes); the rest is not.
if [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["trainingSteps"])' "$work/facts.json" \
    2>/dev/null)" != "$steps" ]; then
  rm -rf "$work"
fi
rm -rf "$work/stack" "$work/upload-cache" "$work/results.json"
mkdir -p "$work" bench/results
source scripts/local-stack.sh
stack_init large-model "$work/stack"
stack_check_prerequisites
stack_build
stack_build_bench
if [ ! -f "$work/facts.json" ]; then
  stack_say "training and writing the wide MLP ($steps steps; the writer's own heap is not capped)"
  stack_bench LargeModel write "$work/model" "$root/data/fashion-mnist" "$steps" "$work/facts.json" \
    > "$work/write.log" 2>&1 || stack_die "writing the model failed: $(tail -5 "$work/write.log")"
fi
stack_start_kafka
stack_start_object_store
STACK_JAVA_HEAP=512m
stack_start pruner PRUNER_SPARSITIES=0.5,0.9
stack_start evaluator
stack_wait_ready pruner
stack_wait_ready evaluator
stack_say "sending its checkpoint event; pruner and evaluator at -Xmx$STACK_JAVA_HEAP"
AWS_ACCESS_KEY_ID=$STACK_S3_IDENTITY AWS_SECRET_ACCESS_KEY=$STACK_S3_CREDENTIAL java -Xmx512m \
  -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" io.prunestream.bench.LargeModel run \
  "localhost:$STACK_KAFKA_PORT" "$(stack_url evaluator)" "http://127.0.0.1:$STACK_OBJECT_STORE_PORT" models \
  "$work/model" "$work/facts.json" "${STACK_PIDS[pruner]}" "${STACK_PIDS[evaluator]}" 5 "$work/results.json"
if grep -q 'OutOfMemoryError' "$STACK_LOGS"/*.log; then
  stack_die "a service ran out of heap: $(grep -h 'OutOfMemoryError' "$STACK_LOGS"/*.log | head -1)"
fi
if grep -q 'dead-lettering' "$STACK_LOGS"/*.log; then
  stack_die "a record was dead-lettered: $(grep -h 'dead-lettering' "$STACK_LOGS"/*.log | tail -1)"
fi
skipped=$(curl -fsS "$(stack_url pruner)/q/metrics" | grep 'pruner_calibration_skipped_total{.*weights-exceed-heap' \
  | awk '{print $NF}')
stack_stop_all

python3 - "$work/results.json" bench/results "$skipped" <<'PY'
import json, platform, sys, pathlib
row = json.loads(pathlib.Path(sys.argv[1]).read_text())
out = pathlib.Path(sys.argv[2])
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
row["machine"] = cpu
row["heapMb"] = 512
row["obsAndCalibratedSkipped"] = float(sys.argv[3] or 0)
(out / "large-model.json").write_text(json.dumps(row, indent=2) + "\n")
lines = [f"{row['model']}: SavedModel {row['savedModelMb']:,.0f} MB ({row['variablesMb']:,.0f} MB of variables), "
         f"{row['trainingSteps']} training steps; pruner and evaluator at -Xmx512m ({cpu}).", "",
         f"Event to last evaluation: {row['eventToLastEvaluationSeconds']:,.0f} s; peak RSS pruner "
         f"{row['prunerPeakRssMb']:,} MB, evaluator {row['evaluatorPeakRssMb']:,} MB; checkpoints whose calibrated"
         f" and obs variants were skipped (weights-exceed-heap): {row['obsAndCalibratedSkipped']:.0f}.", "",
         "| method | sparsity | top-1 % [95%] | drop, points [95%] | McNemar p | images/s |",
         "|---|---|---|---|---|---|"]
for e in sorted(row["evaluations"], key=lambda e: (e["method"] != "dense", e["method"], e["sparsity"])):
    ci, drop, dis = e.get("top1Interval") or {}, e.get("dropVsDense") or {}, e.get("disagreements") or {}
    top1 = f"{100 * e['top1']:.2f}" + (f" [{100 * ci['low']:.2f}, {100 * ci['high']:.2f}]" if ci else "")
    dropped = f"{100 * drop['estimate']:.2f} [{100 * drop['low']:.2f}, {100 * drop['high']:.2f}]" if drop else ""
    p = f"{dis['pValue']:.3g}" if dis else ""
    lines.append(f"| {e['method']} | {e['sparsity']:.2f} | {top1} | {dropped} | {p} | {e['imagesPerSecond']:,.0f} |")
(out / "large-model.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY
