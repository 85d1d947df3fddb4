#!/usr/bin/env bash
# Trains the small CNN on Fashion-MNIST once per training method (same seed, data and budget) and records test
# accuracy per epoch, images/s, the share of |w| below 0.01 and 0.05 per layer, and top-1 after zeroing the
# smallest 50/70/90% of every kernel. About 5 minutes for the default 6 methods x 3 epochs on 2 cores.
#
#   bench/train-methods.sh [epochs] [method ...]      (methods: see TrainingMethods.methods())
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/fetch-dataset.sh >/dev/null
epochs=${1:-3}
shift || true
mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench -am >/dev/null
TF_CPP_MIN_LOG_LEVEL=1 java -Xmx4g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -DTENSORFLOW_LIBRARY_PATH="$root/target/natives/tensorflow-linux-x86_64" -DOPT_OUT_TRACKING=true \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.prunestream.bench.TrainingMethods \
  data/fashion-mnist bench/results/training-methods.json "$epochs" "$@"
