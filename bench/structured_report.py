"""Turns what bench/structured.sh collected into bench/results/structured.json and structured.md.

    structured_report.py <work folder> <results folder> <settings.json>

The work folder holds, per training <name>, runs-<name>.json (the trainer's GET /runs/{id}) and results-<name>.json
(the evaluator's GET /results?runId=...), and fine-tuning.log (the pruner's per-epoch fine-tuning lines).
"""
import datetime
import json
import os
import platform
import sys


def half(row):
    """' ±0.61': half the width of the top-1's 95% interval (Wilson), in points, where the event has one."""
    i = row.get("top1Interval")
    return f" ±{50 * (i['high'] - i['low']):.2f}" if i else ""


def load(work, settings):
    rows, trainings = [], []
    for name in settings["trainings"]:
        run = json.load(open(os.path.join(work, f"runs-{name}.json")))
        results = json.load(open(os.path.join(work, f"results-{name}.json")))
        last = max(e["epoch"] for e in results)
        final = [e for e in results if e["epoch"] == last]
        dense = next(e for e in final if e["method"] == "dense")
        trainings.append({"name": name, "runId": run["runId"], "method": run["method"],
                          "trainSeconds": round(run_seconds(run), 1),
                          "epochs": run["epochs"], "denseTop1": dense["top1"]})
        for e in final:
            cost = e.get("cost") or {}
            rows.append({"training": name, "method": e["method"], "ratio": e["targetSparsity"],
                         "achievedSparsity": e["achievedSparsity"], "fineTuneEpochs": e.get("fineTuneEpochs") or 0,
                         "top1": e["top1"], "denseTop1": dense["top1"], "parameters": cost.get("parameters"),
                         "multiplyAdds": cost.get("multiplyAdds"), "fileBytes": cost.get("fileBytes"),
                         "latencyMs": e.get("latencyMs"), "imagesPerSecond": e["imagesPerSecond"],
                         "variantId": e["variantId"], "top1Interval": e.get("top1Interval")})
    return rows, trainings


def seconds(instant):
    """An ISO-8601 instant as Java writes it (up to nanoseconds, 'Z'), in seconds since the epoch."""
    whole, _, fraction = instant.rstrip("Z").partition(".")
    return datetime.datetime.fromisoformat(whole).replace(tzinfo=datetime.timezone.utc).timestamp() \
        + float("0." + (fraction or "0"))


def run_seconds(run):
    if not run.get("startedAt") or not run.get("finishedAt"):
        return 0.0
    return seconds(run["finishedAt"]) - seconds(run["startedAt"])


RESUMED = " (resumed: what an earlier run trained, pruned where variants were missing and all scored again)"


def pct(x):
    return f"{100 * x:.2f}"


def main(work, out, settings_file):
    settings = json.load(open(settings_file))
    rows, trainings = load(work, settings)
    tuning = open(os.path.join(work, "fine-tuning.log")).read().splitlines() \
        if os.path.exists(os.path.join(work, "fine-tuning.log")) else []
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    json.dump({"dataset": "fashion-mnist (official split: 60,000 training, 10,000 test images)",
               "settings": settings, "machine": machine, "trainings": trainings, "rows": rows,
               "fineTuning": tuning}, open(os.path.join(out, "structured.json"), "w"), indent=1)

    plain = next(r for r in rows if r["training"] == "plain" and r["method"] == "dense")
    lines = [f"# Structured pruning: filter-l1 against TPP ({settings['architecture']}, width {settings['width']},"
             f" Fashion-MNIST, official split)", "",
             f"Machine: {machine}. Wall time {settings['wallSeconds'] // 60} min {settings['wallSeconds'] % 60} s"
             f"{RESUMED if settings.get('resumed') else ''}.",
             f"Every training: {settings['epochs']} epochs, batch {settings['batchSize']}, seed {settings['seed']},"
             f" SGD momentum 0.9, learning rate 0.05 cosine, weight decay 5e-4. TPP: filters chosen by L1 norm after"
             f" a third of the run, regularised over the next third, zeroed layer by layer in the last. Fine-tuning:"
             f" {settings['fineTuneEpochs']} epoch(s), SGD 0.01 cosine. Top-1 on the 10,000 test images; latency ="
             f" median of 30 single-image calls on the CPU (DJL); images/s = scoring throughput at batch 256; both"
             f" measured by the evaluator alone on the machine, after training and pruning had stopped; multiply-adds"
             f" per image.", "",
             "## Dense models", "", "| training | top-1 | parameters | multiply-adds | size kB | latency ms |"
             " images/s |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["method"] == "dense":
            lines.append(f"| {r['training']} | {pct(r['top1'])} | {r['parameters']:,} | {r['multiplyAdds']:,} |"
                         f" {r['fileBytes'] / 1000:,.0f} | {r['latencyMs']:.2f} | {r['imagesPerSecond']:,.0f} |")
    lines += ["", "The dense checkpoints' files also hold the training graph and the optimizer's momentum slots; a"
              " structured variant holds the serving graph and its weights only.", "",
              "## Pruned (filters removed from the inner conv of every residual block)", "",
              "| ratio | method | source top-1 | top-1 as removed | top-1 after fine-tuning | removed weights |"
              " parameters | multiply-adds | x fewer multiply-adds | size kB | latency ms | images/s |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for ratio in settings["ratios"]:
        for method in ("filter-l1", "tpp"):
            pruned = [r for r in rows if r["method"] == method and abs(r["ratio"] - ratio) < 1e-9]
            base = [r for r in pruned if r["fineTuneEpochs"] == 0]
            tuned = [r for r in pruned if r["fineTuneEpochs"] > 0]
            if not base:
                continue
            b = base[0]
            speedup = plain["multiplyAdds"] / b["multiplyAdds"]
            lines.append(f"| {ratio} | {method} | {pct(b['denseTop1'])} | {pct(b['top1'])}{half(b)} |"
                         f" {pct(tuned[0]['top1']) + half(tuned[0]) if tuned else '-'} | {pct(b['achievedSparsity'])}% |"
                         f" {b['parameters']:,} | {b['multiplyAdds']:,} | {speedup:.2f} |"
                         f" {b['fileBytes'] / 1000:,.0f} | {b['latencyMs']:.2f} | {b['imagesPerSecond']:,.0f} |")
    lines += ["", "Reference shape (TPP, Table 1, ResNet-56 on CIFAR-10, ratio 0.9, after 120 epochs of"
              " fine-tuning): TPP 89.63 against L1 86.75.", ""]
    write_markdown(out, "structured.md", lines, "Fine-tuning log", tuning)


def write_markdown(out, name, lines, log_title, log):
    """Writes the report's lines, and the log lines under their title if there are any, to out/name; prints them."""
    if log:
        lines = lines + [f"## {log_title}", "", "```"] + log + ["```", ""]
    open(os.path.join(out, name), "w").write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:4])
