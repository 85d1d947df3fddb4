#!/usr/bin/env bash
# Decoding and scoring users' data: images/s and the evaluator's resident memory for each dataset format, through a
# running evaluator. Makes (once, into out/data-bench) 10,000 32x32 colour scenes from the official Fashion-MNIST test
# split in every format (JPEG and PNG class folders, TFRecord of JPEGs, .npz, CIFAR binary) with a small CNN trained
# on 20,000 more, and 5,000 of them enlarged to 320..512 x 240..384 photos (JPEG folders, TFRecord; fed resize 256,
# centre crop 224) with their cropped arrays (.npz: the decoded images, the in-memory reference) and a ResNet-8 of
# width 16 on 224x224x3. Then scores each dataset twice: decoded from its files, then from the batches the evaluator
# kept (where its budget, evaluator.prepared-bytes, holds them). Writes bench/results/data.json and data.md.
# About 25 minutes on 2 cores (half of it making the data once).
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
stack_start evaluator EVALUATOR_MODEL_STORE="$root/$out" EVALUATOR_LATENCY_SAMPLES=0 \
  EVALUATOR_DATASETS_D32JPEG_DIR="$root/$out/32/jpeg" EVALUATOR_DATASETS_D32PNG_DIR="$root/$out/32/png" \
  EVALUATOR_DATASETS_D32TFRECORD_DIR="$root/$out/32/tfrecord" EVALUATOR_DATASETS_D32NPZ_DIR="$root/$out/32/npz" \
  EVALUATOR_DATASETS_D32CIFAR_DIR="$root/$out/32/cifar" EVALUATOR_DATASETS_D224JPEG_DIR="$root/$out/224/jpeg" \
  EVALUATOR_DATASETS_D224TFRECORD_DIR="$root/$out/224/tfrecord" EVALUATOR_DATASETS_D224NPZ_DIR="$root/$out/224/npz"
stack_wait_ready evaluator 300
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" io.prunestream.bench.DataBenchRun \
  "localhost:$STACK_KAFKA_PORT" "${STACK_PIDS[evaluator]}" "$out" bench/results/data.json \
  d32jpeg=32,jpeg,plain d32png=32,png,plain d32tfrecord=32,tfrecord,plain d32npz=32,npz,plain \
  d32cifar=32,cifar,plain d224npz=224,npz,plain d224jpeg=224,jpeg,photo d224tfrecord=224,tfrecord,photo
echo "bench/results/data.md:"
cat bench/results/data.md
