#!/usr/bin/env bash
# The evaluator's sequential rule simulated (bench's SequentialSimulation): its time-uniform coverage of the whole
# split's drop, and the images it scores, over random orders of a split with a known drop (0 included).
#
#   bench/sequential.sh [split images, 10000] [orders, 10000]      (about 3 minutes on 2 cores)
#
# Writes bench/results/sequential.json and sequential.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench -am >/dev/null
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.prunestream.bench.SequentialSimulation \
  bench/results/sequential.json bench/results/sequential.md "${1:-10000}" "${2:-10000}"
