#!/usr/bin/env bash
# Threshold selection (pruning-core's radix selection, and the quickselect it replaced) against a full sort on 25 million floats, and a whole one-layer
# pruning of that size; medians of 7 runs after 2 warm-ups. About 1 minute on 2 cores.
#
#   bench/selection.sh [n] [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench -am >/dev/null
java -Xmx6g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.prunestream.bench.SelectionBenchmark \
  bench/results/selection.json "${1:-25000000}" "${2:-7}"
