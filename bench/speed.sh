#!/usr/bin/env bash
# Speed against what a user would pick instead. Each figure is a median of RUNS runs (default 5) after 2 warm-ups;
# each ratio compares figures of this one run.
#
#   bench/speed.sh            (about 3 minutes on 2 cores)
#
# Pruning: global magnitude pruning of ResNet-50-shaped weights (53 convolutions and the classifier, 25.5 million
# weights, He-initialised, seed 50) to SPARSITY (default 0.7) with pruning-core (selection alone; threshold;
# threshold+mean per filter), against a full sort of all magnitudes, and against PyTorch's
# torch.nn.utils.prune.global_unstructured with L1Unstructured on the very same weights (Debian's python3-torch,
# installed if missing). Writes bench/results/speed.json and bench/results/speed.md.
#
# Not measured yet (the rest of issue 7): scoring (DJL against a raw TensorFlow session and PyTorch on CPU) and the
# pipeline's checkpoint-to-last-evaluation latency.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sparsity=${SPARSITY:-0.7}
runs=${RUNS:-5}
python=/usr/bin/python3
work=out/bench
mkdir -p "$work" bench/results

if ! "$python" -c 'import torch' 2>/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "speed: PyTorch is missing: sudo apt-get install python3-torch" >&2; exit 1; }
  echo "speed: installing Debian's python3-torch"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends python3-torch >/dev/null
fi
mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench -am >/dev/null

echo "speed: pruning with pruning-core"
java -Xmx6g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.prunestream.bench.PruningSpeed \
  "$work/pruning-java.json" "$work/resnet50-weights.f32" "$sparsity" "$runs" 2
echo "speed: pruning with PyTorch"
"$python" bench/torch_prune.py "$work/resnet50-weights.f32" "$work/pruning-torch.json" "$sparsity" "$runs" 2

"$python" - "$work/pruning-java.json" "$work/pruning-torch.json" <<'PY'
import datetime, json, os, platform, subprocess, sys
java, torch = (json.load(open(p)) for p in sys.argv[1:3])
if torch["zeros"] != round(java["sparsity"] * java["weights"]):
    sys.exit(f"PyTorch pruned {torch['zeros']} weights, pruning-core {round(java['sparsity'] * java['weights'])}")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 2**20
machine = {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": os.cpu_count(),
           "memoryGiB": round(mem, 1), "os": platform.platform(), "java": java["java"], "torch": torch["torch"],
           "torchThreads": torch["threads"]}
base = java["pruneThresholdMs"]
rows = [("pruning-core: global threshold selection (quickselect)", java["globalSelectionMs"]),
        ("pruning-core: `threshold` (selection, mask, zeros)", java["pruneThresholdMs"]),
        ("pruning-core: `threshold+mean`, per filter", java["pruneThresholdMeanFilterMs"]),
        ("magnitudes and a full sort (`Arrays.sort`)", java["absAndFullSortMs"]),
        ("PyTorch `global_unstructured` + `L1Unstructured`", torch["globalUnstructuredMs"]),
        ("PyTorch, then `prune.remove` (zeros made permanent)", torch["globalUnstructuredAndRemoveMs"])]
result = {"machine": machine, "pruning": {"pruningCore": java, "pytorch": torch,
          "pytorchOverThreshold": torch["globalUnstructuredAndRemoveMs"] / base,
          "fullSortOverSelection": java["absAndFullSortMs"] / java["globalSelectionMs"]}}
json.dump(result, open("bench/results/speed.json", "w"), indent=2)
md = [f"# Speed ({machine['date']})", "",
      f"Machine: {cpu}, {machine['cores']} cores, {machine['memoryGiB']} GiB, {machine['os']}; Java {machine['java']};"
      f" PyTorch {machine['torch']} ({machine['torchThreads']} threads).", "",
      f"## Pruning: ResNet-50-shaped weights ({java['weights']:,} in {java['layers']} kernels), global "
      f"{100 * java['sparsity']:.0f}%", "",
      f"Medians of {java['runs']} runs after {java['warmup']} warm-ups; ratios against pruning-core's `threshold`.", "",
      "| what | median ms | x pruning-core `threshold` |", "|---|---|---|"]
md += [f"| {name} | {ms:,.0f} | {ms / base:.2f} |" for name, ms in rows]
md += ["", f"Both prune exactly {torch['zeros']:,} weights."]
open("bench/results/speed.md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
