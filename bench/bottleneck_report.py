"""Turns what bench/bottleneck.sh collected into bench/results/bottleneck.json and bottleneck.md.

    bottleneck_report.py <work folder> <results folder> <settings.json>

The work folder holds runs-plain.json (the trainer's GET /runs/{id}), results-plain.json (the evaluator's
GET /results?runId=...), pruning-<variantId>.json (the pruner's record of each variant, gates included) and
pruner.log (its gate-training and fine-tuning lines).
"""
import json
import os
import platform
import re
import sys

from structured_report import pct, run_seconds, write_markdown

VARIANT = re.compile(r".*-(l1|bn)-([rf])(\d{4})(?:-ft(\d+))?$")


def load(work):
    run = json.load(open(os.path.join(work, "runs-plain.json")))
    results = json.load(open(os.path.join(work, "results-plain.json")))
    last = max(e["epoch"] for e in results)
    final = [e for e in results if e["epoch"] == last]
    dense = next(e for e in final if e["method"] == "dense")
    rows = []
    for e in final:
        match = VARIANT.match(e["variantId"])
        if e["method"] == "dense" or not match:
            continue
        record = json.load(open(os.path.join(work, f"pruning-{e['variantId']}.json")))
        cost = e.get("cost") or {}
        gates = record.get("gates") or {}
        rows.append({"method": e["method"], "by": "flops" if match.group(2) == "f" else "ratio",
                     "amount": int(match.group(3)) / 10_000, "fineTuneEpochs": e.get("fineTuneEpochs") or 0,
                     "top1": e["top1"], "parameters": cost.get("parameters"), "multiplyAdds": cost.get("multiplyAdds"),
                     "fileBytes": cost.get("fileBytes"), "latencyMs": e.get("latencyMs"),
                     "filterRatio": record["targetSparsity"] if e["method"] == "filter-l1" else None,
                     "removedWeights": e["achievedSparsity"], "gateSeconds": gates.get("trainingMillis", 0) / 1000
                     if gates else None, "gateBatches": gates.get("batches"), "threshold": gates.get("threshold"),
                     "variantId": e["variantId"]})
    return run, dense, rows


def main(work, out, settings_file):
    settings = json.load(open(settings_file))
    run, dense, rows = load(work)
    log = open(os.path.join(work, "pruner.log")).read().splitlines() \
        if os.path.exists(os.path.join(work, "pruner.log")) else []
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    dense_cost = dense["cost"]
    json.dump({"dataset": "fashion-mnist (official split: 60,000 training, 10,000 test images)",
               "settings": settings, "machine": machine, "trainSeconds": round(run_seconds(run), 1),
               "dense": {"top1": dense["top1"], "cost": dense_cost, "latencyMs": dense.get("latencyMs")},
               "rows": rows, "prunerLog": log}, open(os.path.join(out, "bottleneck.json"), "w"), indent=1)

    tuned = settings["fineTuneEpochs"]
    lines = [f"# AutoBot's bottleneck against filter-l1 at the same multiply-adds ({settings['architecture']},"
             f" width {settings['width']}, Fashion-MNIST, official split)", "",
             f"Machine: {machine}. Wall time {settings['wallSeconds'] // 60} min {settings['wallSeconds'] % 60} s.",
             f"One plain training: {settings['epochs']} epochs, batch {settings['batchSize']}, seed {settings['seed']},"
             f" SGD momentum 0.9, learning rate 0.05 cosine, weight decay 5e-4 ({run_seconds(run) / 60:.1f} min)."
             f" Dense: top-1 {pct(dense['top1'])}, {dense_cost['parameters']:,} parameters,"
             f" {dense_cost['multiplyAdds']:,} multiply-adds per image.",
             "Bottleneck: a gate per channel (block inner channels after ReLU; stage channels on the batch-norm output"
             " before each add, shared), weights frozen, batch norm in inference mode, Adam lr 0.5 on"
             " CE + 6 L_flops + 0.2 L_bool, a quarter of the 60,000 training images in batches of 64, the"
             " lowest-loss gates after 60% of the steps, one global threshold by bisection, then the closed channels"
             " removed. filter-l1: the same share of every block's inner filters, smallest L1 norms first, at the"
             " ratio whose multiply-adds come closest to the target. Top-1 on the 10,000 test images; latency ="
             " median of 30 single-image calls on the CPU (DJL), measured by the evaluator alone on the machine."
             + (f" Fine-tuning: {tuned} epoch(s), SGD 0.01 cosine, on the training split." if tuned else ""), "",
             "| multiply-adds target | method | multiply-adds | of dense | parameters | top-1 as removed |"
             + (" top-1 after fine-tuning |" if tuned else "") + " latency ms | gate training s |",
             "|---|---|---|---|---|---|" + ("---|" if tuned else "") + "---|---|"]

    def line(label, r, after):
        share = r["multiplyAdds"] / dense_cost["multiplyAdds"]
        method = r["method"] + (f" (ratio {r['filterRatio']:.3f})" if r["method"] == "filter-l1" else "")
        gate = f"{r['gateSeconds']:.1f} ({r['gateBatches']} batches)" if r["gateSeconds"] is not None else "-"
        return (f"| {label} | {method} | {r['multiplyAdds']:,} | {pct(share)}% | {r['parameters']:,} |"
                f" {pct(r['top1'])} |" + (f" {pct(after['top1']) if after else '-'} |" if tuned else "")
                + f" {r['latencyMs']:.2f} | {gate} |")

    def pair(r):
        return next((t for t in rows if t["method"] == r["method"] and t["by"] == r["by"]
                     and t["amount"] == r["amount"] and t["fineTuneEpochs"] > 0), None)

    for target in settings["targets"]:
        for method in ("bottleneck", "filter-l1"):
            for r in rows:
                if r["by"] == "flops" and r["method"] == method and r["amount"] == target \
                        and r["fineTuneEpochs"] == 0:
                    lines.append(line(f"{target}", r, pair(r)))
    for r in rows:
        if r["by"] == "ratio" and r["fineTuneEpochs"] == 0:
            lines.append(line(f"- (ratio {r['amount']})", r, pair(r)))
    lines += ["", "Reference shape (AutoBot, ResNet-56 on CIFAR-10, 200 batches of 64): 126.55 to 55.82 MFLOPs"
              " (55.9% fewer) at 85.58% before fine-tuning and 93.76% after, from 93.26% unpruned.", ""]
    write_markdown(out, "bottleneck.md", lines, "Pruner log (gate training and fine-tuning)", log)


if __name__ == "__main__":
    main(*sys.argv[1:4])
