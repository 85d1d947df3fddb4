#!/usr/bin/env bash
# Decoding and scoring users' data: images/s and the evaluator's resident memory for each dataset format, through a
# running evaluator. Makes (once, into out/data-bench) 10,000 32x32 colour scenes from the official Fashion-MNIST test
# split in every format (JPEG and PNG class folders, TFRecord of JPEGs, .npz, CIFAR binary) with a small CNN trained
# on 20,000 more, and 5,000 of them enlarged to 320..512 x 240..384 photos (JPEG folders, TFRecord; fed resize 256,
# centre crop 224) with their cropped arrays (.npz: the decoded images, the in-memory reference) and a ResNet-8 of
# width 16 on 224x224x3. Then scores each size on a fresh evaluator of its own, so that each peak RSS is that size's:
# the 32 px datasets after a warm-up pass over the same files (unrecorded: the decoders' code compiled, as in an
# evaluator past its first model), decoded from their files, then fed from the batches the evaluator kept; the 224 px
# ones decoded once (its budget keeps few of their batches). The evaluator runs as in a 1 GB container: for 32 px
# heap 384 MB (STACK_JAVA_HEAP), evaluator.prepared-bytes 128 MB and evaluator.batch-bytes 8 MB; for 224 px heap
# 256 MB, 64 MB and 4 MB (6 images a batch: TensorFlow's activations at 224 x 224 are most of the memory). Writes
# bench/results/data.json and data.md. About 10 minutes on 2 cores (4 more to make the data, once).
#
#   bench/data.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=out/data-bench
bash scripts/fetch-dataset.sh >/dev/null
mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench,local-kafka,evaluator-service -am >/dev/null
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
natives=(-DTENSORFLOW_LIBRARY_PATH="$root/target/natives/tensorflow-linux-x86_64" -DOPT_OUT_TRACKING=true)
# Its own ports, so that it can run beside ./run-local.sh --serve.
export KAFKA_PORT=${KAFKA_PORT:-19094} EVALUATOR_PORT=${EVALUATOR_PORT:-18085} PARTITIONS=1
source scripts/local-stack.sh
if [ ! -f "$out/224/model/saved_model.pb" ]; then
  rm -rf "$out"
  isa=$(stack_training_isa)
  env ${isa:+ONEDNN_MAX_CPU_ISA=$isa} TF_CPP_MIN_LOG_LEVEL=1 java -Xmx6g "${natives[@]}" -cp "$cp" \
    io.prunestream.bench.DataBenchSets data/fashion-mnist "$out"
fi
stack_init data-bench "$out/stack"
stack_start_kafka
rm -f bench/results/data.json
for size in 32 224; do
  datasets=()
  for format in jpeg png tfrecord npz cifar; do
    dir="$root/$out/$size/$format"
    [ -d "$dir" ] && datasets+=(EVALUATOR_DATASETS_D$size${format^^}_DIR="$dir"
      EVALUATOR_DATASETS_D$size${format^^}WARM_DIR="$dir")
  done
  # 32 px: the kept pass needs its 10,000 images (123 MB as float32) in the budget; 224 px: a smaller heap and cache,
  # so that the photos' decoding buffers fit the 1 GB with TensorFlow's activations at 224 x 224.
  if [ "$size" = 32 ]; then heap=384m prepared=128M batch=8M; else heap=256m prepared=64M batch=4M; fi
  STACK_JAVA_HEAP=$heap stack_start evaluator EVALUATOR_MODEL_STORE="$root/$out" EVALUATOR_LATENCY_SAMPLES=0 \
    EVALUATOR_PREPARED_BYTES=$prepared EVALUATOR_BATCH_BYTES=$batch "${datasets[@]}"
  stack_wait_ready evaluator 300
  if [ "$size" = 32 ]; then
    runs=()
    for format in jpeg png tfrecord npz cifar; do runs+=("d32$format=32,$format,plain,warm-up:decoded:kept"); done
  else
    # 5,000 images at about 40 a second: the decoders' first seconds do not count, and no budget keeps them.
    runs=(d224npz=224,npz,plain,decoded d224jpeg=224,jpeg,photo,decoded d224tfrecord=224,tfrecord,photo,decoded)
  fi
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" io.prunestream.bench.DataBenchRun \
    "localhost:$STACK_KAFKA_PORT" "${STACK_PIDS[evaluator]}" "$out" bench/results/data.json "${runs[@]}"
  stack_stop evaluator
done
echo "bench/results/data.md:"
cat bench/results/data.md
