#!/usr/bin/env bash
# The object store's cost: the small CNN pipeline (checkpoint record to the last of its evaluation records, as
# bench/speed.sh's pipeline section measures it, RUNS runs after one warm-up) with the models in a folder the services
# share, then in a bucket of a local S3 server (S3Proxy, ./run-local.sh --object-store), each service with only its own
# local copies; and the transfer of 100 MB and 1 GB SavedModel-shaped folders through that server (multipart upload,
# then download checked against the manifest and digested by a second store) in a JVM with a 512 MB heap, with its
# peak RSS. Writes bench/results/storage.json and storage.md. About 12 minutes on 2 cores.
#
#   bench/storage.sh            (RUNS, default 5; SIZES_MB, default "100 1024")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${RUNS:-5}
sizes=${SIZES_MB:-100 1024}
work=out/storage
rm -rf "$work"
mkdir -p "$work" bench/results
source scripts/local-stack.sh
logging=-Djava.util.logging.manager=org.jboss.logmanager.LogManager
for mode in file s3; do
  stack_init "storage-$mode" "$work/$mode"
  stack_check_prerequisites
  stack_build
  stack_build_bench
  bench_cp="$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"
  stack_start_kafka
  variants=$STACK_MODELS/variants/speed-cnn
  if [ "$mode" = s3 ]; then
    stack_start_object_store
    variants=$STACK_DATA/local/pruner/objects/models/variants/speed-cnn
  fi
  for svc in trainer pruner evaluator; do stack_start "$svc"; done
  for svc in trainer pruner evaluator; do stack_wait_ready "$svc"; done
  stack_train_and_settle speed-cnn "$variants"
  stack_say "timing the pipeline ($mode)"
  java "$logging" -cp "$bench_cp" io.prunestream.bench.PipelineLatency "localhost:$STACK_KAFKA_PORT" \
    "$work/pipeline-$mode.json" "$STACK_EVALUATIONS" "$runs" 1
  if [ "$mode" = s3 ]; then
    for svc in trainer pruner evaluator; do stack_stop "$svc"; done
    stack_say "transferring $sizes MB through the S3 server with a 512 MB heap"
    # shellcheck disable=SC2086
    AWS_ACCESS_KEY_ID=$STACK_S3_IDENTITY AWS_SECRET_ACCESS_KEY=$STACK_S3_CREDENTIAL java "$logging" -Xmx512m \
      -cp "$bench_cp" io.prunestream.bench.StorageTransfer "http://127.0.0.1:$STACK_OBJECT_STORE_PORT" models \
      "$work/transfer" "$work/transfer.json" $sizes
  fi
  stack_stop_all
done

python3 - "$work" bench/results <<'PY'
import json, platform, sys, pathlib
work, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
file, s3 = (json.loads((work / f"pipeline-{m}.json").read_text()) for m in ("file", "s3"))
transfer = json.loads((work / "transfer.json").read_text())
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
result = {"machine": cpu, "pipeline": {"file": file, "s3": s3,
          "ratio": s3["medianToLastEvaluationMs"] / file["medianToLastEvaluationMs"]}, "transfer": transfer}
(out / "storage.json").write_text(json.dumps(result, indent=2) + "\n")
lines = ["| store | evaluations per checkpoint | median checkpoint to last evaluation ms | median to first ms | runs |",
         "|---|---|---|---|---|"]
for name, row in (("folder (file:)", file), ("bucket through S3Proxy (s3://)", s3)):
    lines.append(f"| {name} | {row['evaluationsPerCheckpoint']} | {row['medianToLastEvaluationMs']:,.0f} | "
                 f"{row['medianToFirstEvaluationMs']:,.0f} | {row['runs']} |")
lines += ["", f"Ratio bucket / folder: {result['pipeline']['ratio']:.2f}x ({cpu}).", "",
          f"| model MB | upload s | upload MB/s | download + verify s | download + verify MB/s | peak RSS MB (heap {transfer['maxHeapMb']} MB) |",
          "|---|---|---|---|---|---|"]
for r in transfer["rows"]:
    lines.append(f"| {r['megabytes']:,.0f} | {r['uploadSeconds']:.1f} | {r['uploadMBps']:.0f} | "
                 f"{r['downloadVerifiedSeconds']:.1f} | {r['downloadVerifiedMBps']:.0f} | {r['peakRssMb']} |")
(out / "storage.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY
