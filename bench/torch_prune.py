"""PyTorch's global magnitude pruning of the weights bench's PruningSpeed wrote, for bench/speed.sh.

torch.nn.utils.prune.global_unstructured with L1Unstructured over every kernel, then prune.remove to make the zeros
permanent (what the pruner's `threshold` method produces). Median of R runs after W warm-ups; each run prunes fresh
copies made outside the timed region. Usage: torch_prune.py WEIGHTS_FILE RESULTS_JSON [SPARSITY] [R] [W]
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn.utils import prune


def load(weights_file):
    with open(weights_file + ".json", encoding="utf-8") as f:
        layers = json.load(f)
    flat = np.fromfile(weights_file, dtype="<f4")
    arrays, offset = [], 0
    for layer in layers:
        size = int(np.prod(layer["shape"]))
        arrays.append(flat[offset:offset + size].reshape(layer["shape"]))
        offset += size
    if offset != flat.size:
        sys.exit(f"{weights_file}: {flat.size} floats, but the shapes add up to {offset}")
    return arrays


def modules_of(arrays):
    modules = []
    for array in arrays:
        module = nn.Module()
        module.weight = nn.Parameter(torch.from_numpy(array.copy()), requires_grad=False)
        modules.append(module)
    return modules


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main():
    weights_file, results_file = sys.argv[1], sys.argv[2]
    sparsity = float(sys.argv[3]) if len(sys.argv) > 3 else 0.7
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    warmup = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    # Debian's build starts with one thread; a user's PyTorch (pip) takes every core, so it gets them here too.
    torch.set_num_threads(os.cpu_count())
    arrays = load(weights_file)
    total = sum(a.size for a in arrays)
    prune_ms, remove_ms, zeros = [], [], 0
    for i in range(warmup + runs):
        modules = modules_of(arrays)
        params = [(m, "weight") for m in modules]
        start = time.perf_counter()
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=sparsity)
        pruned = time.perf_counter()
        for module, name in params:
            prune.remove(module, name)
        removed = time.perf_counter()
        if i >= warmup:
            prune_ms.append(1000 * (pruned - start))
            remove_ms.append(1000 * (removed - start))
        zeros = sum(int((m.weight == 0).sum()) for m in modules)
    row = {
        "weights": total, "layers": len(arrays), "sparsity": sparsity, "runs": runs, "warmup": warmup,
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "globalUnstructuredMs": median(prune_ms), "globalUnstructuredAndRemoveMs": median(remove_ms),
        "zeros": zeros,
    }
    with open(results_file, "w", encoding="utf-8") as f:
        json.dump(row, f, indent=2)
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), {total:,} weights, global "
          f"{100 * sparsity:.0f}%, median of {runs} runs: global_unstructured {row['globalUnstructuredMs']:.0f} ms, "
          f"with prune.remove {row['globalUnstructuredAndRemoveMs']:.0f} ms ({zeros:,} zeros)")


if __name__ == "__main__":
    main()
