"""Turns what bench/speed.sh measured into bench/results/speed.json and speed.md.

    speed_report.py <work folder> <results folder>

Reads, from the work folder, whichever sections' files exist: pruning-java.json + pruning-torch.json (+ the C++
references, pruning-cpp.json),
scoring-djl.json + scoring-tf.json + scoring-torch.json, pipeline.json. Refuses results that disagree (PyTorch
pruning a different number of weights, or scoring the same model to a different top-1).
"""
import datetime
import json
import os
import platform
import sys


def read(work, name):
    path = os.path.join(work, name)
    return json.load(open(path)) if os.path.exists(path) else None


def machine(java, torch):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 2 ** 20
    return {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": os.cpu_count(),
            "memoryGiB": round(mem, 1), "os": platform.platform(), "java": java.get("java") if java else None,
            "torch": torch.get("torch") if torch else None}


def pruning(java, torch, cpp):
    if torch["zeros"] != round(java["sparsity"] * java["weights"]):
        sys.exit(f"PyTorch pruned {torch['zeros']} weights, pruning-core {round(java['sparsity'] * java['weights'])}")
    if cpp is not None and cpp["weights"] != java["weights"]:
        sys.exit(f"the C++ references read {cpp['weights']} weights, pruning-core {java['weights']}")
    base = java["pruneThresholdMs"]
    rows = [("pruning-core: global threshold selection and mask (one pass, sampled bracket)", java["globalSelectionMs"]),
            ("pruning-core: `threshold` (selection, mask, zeros)", java["pruneThresholdMs"]),
            ("pruning-core: `threshold+mean`, per filter", java["pruneThresholdMeanFilterMs"]),
            ("magnitudes and a full sort (`Arrays.sort`)", java["absAndFullSortMs"]),
            ("PyTorch `global_unstructured` + `L1Unstructured`", torch["globalUnstructuredMs"]),
            ("PyTorch, then `prune.remove` (zeros made permanent)", torch["globalUnstructuredAndRemoveMs"])]
    if cpp is not None:
        rows += [("C++ `std::nth_element` over the magnitudes (g++ -O2, one thread)", cpp["cppNthElementMs"]),
                 ("C++ one streaming pass over the magnitudes (a sum): the memory floor", cpp["streamingPassMs"])]
    selection = java["globalSelectionMs"]
    result = {"pruningCore": java, "pytorch": torch,
              "pytorchOverThreshold": torch["globalUnstructuredAndRemoveMs"] / base,
              "pytorchOverSelection": torch["globalUnstructuredMs"] / selection,
              "thresholdOverSelection": base / selection,
              "fullSortOverSelection": java["absAndFullSortMs"] / selection}
    if cpp is not None:
        result.update({"cppNthElementMs": cpp["cppNthElementMs"], "streamingPassMs": cpp["streamingPassMs"],
                       "cppNthElementOverSelection": cpp["cppNthElementMs"] / selection,
                       "selectionOverStreamingPass": selection / cpp["streamingPassMs"]})
    md = [f"## Pruning: ResNet-50-shaped weights ({java['weights']:,} in {java['layers']} kernels), global "
          f"{100 * java['sparsity']:.0f}%", "",
          f"Medians of {java['runs']} rounds after {java['warmup']} warm-up rounds, each round timing the four "
          "pruning-core rows in turn; ratios against pruning-core's `threshold`. "
          f"pruning-core runs on every core (the common fork-join pool); PyTorch {torch['torch']} on {torch['threads']}.", "",
          "| what | median ms | x pruning-core `threshold` |", "|---|---|---|"]
    md += [f"| {name} | {ms:,.0f} | {ms / base:.2f} |" for name, ms in rows]
    md += ["", f"Both prune exactly {torch['zeros']:,} weights."]
    md += ["", f"The selection against PyTorch's `global_unstructured`: {result['pytorchOverSelection']:.1f}x faster; "
           f"the whole `threshold` takes {result['thresholdOverSelection']:.2f}x the selection."]
    if cpp is not None:
        md += [f"Against C++ `std::nth_element`: {result['cppNthElementOverSelection']:.2f}x faster; "
               f"{result['selectionOverStreamingPass']:.1f}x one streaming pass over the same magnitudes."]
    return result, md


def scoring(djl, tf, torch, djl_bf16=None, tf_bf16=None):
    for name, other in (("a raw TensorFlow session", tf), ("PyTorch", torch)):
        if abs(other["top1"] - djl["top1"]) > 1e-3:
            sys.exit(f"scoring: {name} scores top-1 {other['top1']}, the evaluator {djl['top1']}: not the same model")
    base = djl["medianImagesPerSecond"]
    rows = [(f"evaluator-service (DJL {tf['tensorflow'].get('djl', '?')}, TensorFlow "
             f"{tf['tensorflow'].get('tensorflow', '?')}), median of {djl['evaluations']} evaluations",
             base, djl["top1"]),
            (f"raw TensorFlow session on the same SavedModel, median of {tf['runs']} runs after {tf['warmup']}",
             tf["imagesPerSecond"], tf["top1"]),
            (f"PyTorch {torch['torch']} on CPU ({torch['threads']} threads), same network and weights, median of "
             f"{torch['runs']} runs after {torch['warmup']}", torch["imagesPerSecond"], torch["top1"])]
    result = {"evaluatorDjl": djl, "tensorflowSession": tf, "pytorch": torch,
              "tensorflowSessionOverDjl": tf["imagesPerSecond"] / base,
              "djlOverTensorflowSession": base / tf["imagesPerSecond"],
              "pytorchOverDjl": torch["imagesPerSecond"] / base}
    if djl_bf16 and tf_bf16:
        rows += [(f"evaluator-service, `evaluator.precision=bfloat16`, median of {djl_bf16['evaluations']} evaluations",
                  djl_bf16["medianImagesPerSecond"], djl_bf16["top1"]),
                 (f"raw TensorFlow session, the same bfloat16 rewrite, median of {tf_bf16['runs']} runs after "
                  f"{tf_bf16['warmup']}", tf_bf16["imagesPerSecond"], tf_bf16["top1"])]
        result.update({"evaluatorDjlBfloat16": djl_bf16, "tensorflowSessionBfloat16": tf_bf16,
                       "bfloat16OverFloat32Djl": djl_bf16["medianImagesPerSecond"] / base,
                       "djlOverTensorflowSessionBfloat16":
                           djl_bf16["medianImagesPerSecond"] / tf_bf16["imagesPerSecond"]})
    md = ["## Scoring: the small CNN on the 10,000 test images, batch 256, CPU", "",
          "Images/s counts the model calls alone (batch in, scores out), as the evaluator reports it; all three agree "
          "on top-1, so they ran the same model.", "",
          "| what | images/s | x evaluator | top-1 |", "|---|---|---|---|"]
    md += [f"| {name} | {ips:,.0f} | {ips / base:.2f} | {100 * top1:.2f} |" for name, ips, top1 in rows]
    md += ["", f"The evaluator runs at {result['djlOverTensorflowSession']:.2f}x a raw TensorFlow session's images/s on "
           "the same SavedModel."]
    if "bfloat16OverFloat32Djl" in result:
        md[-1] += (f" In bfloat16 it runs {result['bfloat16OverFloat32Djl']:.2f}x its float32 images/s "
                   f"({result['djlOverTensorflowSessionBfloat16']:.2f}x the raw session in bfloat16), top-1 "
                   f"{100 * djl_bf16['top1']:.2f} against {100 * djl['top1']:.2f}.")
    return result, md


def pipeline(p, whole=None):
    md = ["## Pipeline: checkpoint event to its last evaluation event, small CNN", "",
          f"The trainer's checkpoint republished under a fresh id, one at a time, {p['runs']} times after "
          f"{p['warmup']} warm-up; {p['evaluationsPerCheckpoint']} evaluations each (dense + the variants of "
          "the pruner's default method set); broker record timestamps.", "",
          "| from the checkpoint record to | median ms | all runs, ms |", "|---|---|---|",
          f"| the first evaluation record | {p['medianToFirstEvaluationMs']:,.0f} | "
          f"{', '.join(f'{v:,}' for v in p['toFirstEvaluationMs'])} |",
          f"| the last evaluation record | {p['medianToLastEvaluationMs']:,.0f} | "
          f"{', '.join(f'{v:,}' for v in p['toLastEvaluationMs'])} |"]
    if not whole or "imagesScored" not in p:
        return p, md
    # The same checkpoint republished: the same variants, scored on the whole split by the evaluator restarted
    # without sequential evaluation. Their drops are what each sequential interval must hold.
    full = {}
    for run in whole["evaluations"]:
        for e in run:
            if "drop" in e:
                full.setdefault((e["method"], e["sparsity"]), set()).add(round(e["drop"], 12))
    # Distinct comparisons only: the republished checkpoint gives the same variants, and a deterministic evaluator
    # gives them the same intervals run after run, which are not independent checks.
    pairs = set()
    for run in p["evaluations"]:
        for e in run:
            if "drop" in e and (e["method"], e["sparsity"]) in full:
                for d in full[(e["method"], e["sparsity"])]:
                    pairs.add((e["method"], e["sparsity"], round(e["dropLow"], 12), round(e["dropHigh"], 12), d))
    checked = len(pairs)
    misses = sum(not (low - 1e-9 <= d <= high + 1e-9) for _, _, low, high, d in pairs)
    median = lambda v: sorted(v)[len(v) // 2]
    images, whole_images = median(p["imagesScored"]), median(whole["imagesScored"])
    result = {"sequential": p, "wholeSplit": whole,
              "wholeOverSequentialLatency": whole["medianToLastEvaluationMs"] / p["medianToLastEvaluationMs"],
              "wholeOverSequentialImages": whole_images / images,
              "intervalsChecked": checked, "intervalMisses": misses}
    stops = {}
    for e in p["evaluations"][-1]:
        if e.get("stop"):
            stops[e["stop"]] = stops.get(e["stop"], 0) + 1
    md += ["", "Without sequential evaluation (the evaluator restarted with `EVALUATOR_SEQUENTIAL_ENABLED=false`, the "
           "same checkpoint republished, every variant scored on the whole split):", "",
           "| | median ms to the last evaluation | all runs, ms | images scored per checkpoint (median) |",
           "|---|---|---|---|",
           f"| sequential (default) | {p['medianToLastEvaluationMs']:,.0f} | "
           f"{', '.join(f'{v:,}' for v in p['toLastEvaluationMs'])} | {images:,} |",
           f"| whole split | {whole['medianToLastEvaluationMs']:,.0f} | "
           f"{', '.join(f'{v:,}' for v in whole['toLastEvaluationMs'])} | {whole_images:,} |", "",
           f"Sequential evaluation: {result['wholeOverSequentialLatency']:.2f}x faster to the last evaluation, "
           f"{result['wholeOverSequentialImages']:.2f}x fewer images; stops in the last run: "
           + ", ".join(f"{n} {k}" for k, n in sorted(stops.items()))
           + f". Sequential drop intervals that miss the whole split's drop of the same variant: {misses} of "
           f"{checked} distinct (variant, interval, whole-split drop) pairs.", "",
           "| method | sparsity | images | stop | drop, points [95%] | whole-split drop |", "|---|---|---|---|---|---|"]
    for e in sorted(p["evaluations"][-1], key=lambda e: (e["method"], e["sparsity"])):
        if "drop" in e:
            d = sorted(full.get((e["method"], e["sparsity"]), []))
            md.append(f"| {e['method']} | {e['sparsity']:.2f} | {e['samples']:,} | {e['stop']} | "
                      f"{100 * e['drop']:.2f} [{100 * e['dropLow']:.2f}, {100 * e['dropHigh']:.2f}] | "
                      + ", ".join(f"{100 * v:.2f}" for v in d) + " |")
    return result, md


def main():
    work, out = sys.argv[1:3]
    # A run of some sections only writes speed-<sections>.*, so that it does not replace the full report.
    name = sys.argv[3] if len(sys.argv) > 3 else "speed"
    java, torch_pruning = read(work, "pruning-java.json"), read(work, "pruning-torch.json")
    djl, tf, torch_scoring = (read(work, f"scoring-{n}.json") for n in ("djl", "tf", "torch"))
    latency = read(work, "pipeline.json")
    host = machine(java, torch_pruning or torch_scoring)
    result = {"machine": host}
    sections = []
    if java and torch_pruning:
        result["pruning"], md = pruning(java, torch_pruning, read(work, "pruning-cpp.json"))
        sections.append(md)
    if djl and tf and torch_scoring:
        result["scoring"], md = scoring(djl, tf, torch_scoring, read(work, "scoring-djl-bfloat16.json"),
                                        read(work, "scoring-tf-bfloat16.json"))
        sections.append(md)
    if latency:
        result["pipeline"], md = pipeline(latency, read(work, "pipeline-whole-split.json"))
        sections.append(md)
    json.dump(result, open(os.path.join(out, name + ".json"), "w"), indent=2)
    lines = [f"# Speed ({host['date']})", "",
             f"Machine: {host['cpu']}, {host['cores']} cores, {host['memoryGiB']} GiB, {host['os']}; "
             f"Java {host['java']}; PyTorch {host['torch']}.", ""]
    for md in sections:
        lines += md + [""]
    open(os.path.join(out, name + ".md"), "w").write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
