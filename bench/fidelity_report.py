"""Turns what bench/fidelity.sh collected into bench/results/fidelity.json, fidelity.md and fidelity-drop.svg.

    fidelity_report.py <work folder> <results folder> <settings.json>

The work folder holds, per training <name>, runs-<name>.json (the trainer's GET /runs/{id}) and results-<name>.json
(the evaluator's GET /results?runId=...). Each target of issue 7 is judged on the measured rows and reported as met or
missed, with the margin.
"""
import datetime
import json
import os
import platform
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

# scripts/fetch-dataset.sh checks that data/fashion-mnist holds exactly the official files.
DATASET = "fashion-mnist (official split: 60,000 training, 10,000 test images)"
ABLATION = ("plain", "unit-norm", "l1", "unit-norm+l1")  # the four trainings of issue 7; settings may add more


def seconds(instant):
    """An ISO-8601 instant as Java writes it (up to nanoseconds, 'Z'), in seconds since the epoch."""
    whole, _, fraction = instant.rstrip("Z").partition(".")
    return datetime.datetime.fromisoformat(whole).replace(tzinfo=datetime.timezone.utc).timestamp() \
        + float("0." + (fraction or "0"))


def label(method, scope):
    return "zero" if method == "threshold" else f"mean/{scope}"


def load(work, settings):
    rows, trainings = [], []
    for entry in settings["trainings"]:
        name = entry["name"]
        run = json.load(open(os.path.join(work, f"runs-{name}.json")))
        results = json.load(open(os.path.join(work, f"results-{name}.json")))
        last = max(e["epoch"] for e in results)
        final = [e for e in results if e["epoch"] == last]
        dense = [e for e in final if e["method"] == "dense"]
        if len(dense) != 1:
            sys.exit(f"fidelity: {len(dense)} dense evaluations of {name}'s final checkpoint, expected 1")
        dense_top1 = dense[0]["top1"]
        trainings.append({"training": name, "description": entry["description"], "runId": run["runId"],
                          "method": run["method"], "hyperparameters": run["request"]["training"],
                          "denseTop1": dense_top1, "trainerTestAccuracy": run["epochs"][-1]["testAccuracy"],
                          "trainSeconds": round(seconds(run["finishedAt"]) - seconds(run["startedAt"]), 1),
                          "testAccuracyPerEpoch": [e["testAccuracy"] for e in run["epochs"]]})
        for e in sorted(final, key=lambda e: (e["method"], e.get("recoveryScope") or "", e["targetSparsity"])):
            if e["method"] == "dense":
                continue
            rows.append({"training": name, "method": e["method"], "recoveryScope": e["recoveryScope"],
                         "targetSparsity": e["targetSparsity"], "achievedSparsity": e["achievedSparsity"],
                         "top1": e["top1"], "denseTop1": dense_top1, "variantId": e["variantId"]})
    expected = len(settings["trainings"]) * len(settings["sparsities"]) * 3
    if len(rows) != expected:
        sys.exit(f"fidelity: {len(rows)} variant evaluations, expected {expected}")
    return rows, trainings


def top1(rows, training, method, scope, sparsity):
    for r in rows:
        if (r["training"], r["method"], r["recoveryScope"], r["targetSparsity"]) == (training, method, scope,
                                                                                      sparsity):
            return r["top1"]
    return None


def drop(rows, training, method, scope, sparsity):
    t = top1(rows, training, method, scope, sparsity)
    return None if t is None else 100 * (next(r["denseTop1"] for r in rows if r["training"] == training) - t)


def best_mean(rows, training, sparsity):
    scored = [(top1(rows, training, "threshold+mean", s, sparsity), s) for s in ("filter", "layer")]
    return max((t, s) for t, s in scored if t is not None)


def verdict(ok):
    return "**met**" if ok else "**missed**"


def penalty_targets(rows, sparsities, training, description):
    """Target 1 (drop limits with zeros, no fine-tuning) and target 2 (at 90%, against plain) for one training."""
    lines = []
    for s, limit in ((0.5, 0.5), (0.7, 1.0), (0.9, 3.0)):
        if s not in sparsities:
            continue
        d = drop(rows, training, "threshold", "none", s)
        mf = drop(rows, training, "threshold+mean", "filter", s)
        lines.append(f"- {description} at {s:.0%}: drop {d:.2f} points with zeros (target ≤ {limit}): "
                     f"{verdict(d <= limit)}" + ("" if d <= limit else f" by {d - limit:.2f} points")
                     + f"; with mean recovery per filter {mf:.2f}.")
    if 0.9 in sparsities:
        ours = top1(rows, training, "threshold", "none", 0.9)
        plain = top1(rows, "plain", "threshold", "none", 0.9)
        gain = 100 * (ours - plain)
        lines.append(f"- {description} at 90% keeps {100 * ours:.2f}% against plain training's {100 * plain:.2f}% "
                     f"(both zeroed): {gain:+.2f} points (target ≥ +10): {verdict(gain >= 10)}"
                     + ("" if gain >= 10 else f" by {10 - gain:.2f} points") + ".")
    return lines


def ablation_verdict(d):
    """Which ingredient does the work, from the drops with zeros (points; smaller is better) at one sparsity."""
    gain = {k: d["plain"] - d[k] for k in ("unit-norm", "l1", "unit-norm+l1")}
    alone = max(("unit-norm", "l1"), key=gain.get)
    names = {"unit-norm": "unit norm", "l1": "the penalty"}
    text = (f"Against plain training, unit norm alone gains {gain['unit-norm']:+.2f} points, the penalty alone "
            f"{gain['l1']:+.2f}, both {gain['unit-norm+l1']:+.2f}: ")
    if max(gain.values()) < 2:
        return text + "no ingredient helps here."
    if gain["unit-norm+l1"] > gain[alone] + 2:
        return text + f"{names[alone]} does most of the work and the other adds to it."
    return text + f"{names[alone]} does the work" + (" and adding the other does not help." if alone == "l1"
                                                     or gain["unit-norm+l1"] <= gain[alone] else ".")


def targets(rows, sparsities, trainings):
    lines = penalty_targets(rows, sparsities, "unit-norm+l1", "Unit norm + default penalty")
    z = lambda training, s: drop(rows, training, "threshold", "none", s)  # noqa: E731
    # 3. Ablation: which ingredient does the work.
    for s in (x for x in (0.7, 0.9) if x in sparsities):
        d = {t: z(t, s) for t in ABLATION}
        lines.append(f"- Ablation at {s:.0%} (drop with zeros): plain {d['plain']:.2f}, unit norm only "
                     f"{d['unit-norm']:.2f}, L1 only {d['l1']:.2f}, both {d['unit-norm+l1']:.2f}. "
                     + ablation_verdict(d))
    # 4. Recovery.
    if 0.7 in sparsities:
        best, scope = best_mean(rows, "plain", 0.7)
        zero = top1(rows, "plain", "threshold", "none", 0.7)
        gain = 100 * (best - zero)
        lines.append(f"- Recovery on the plainly trained batch-norm model at 70%: best mean recovery ({scope}) "
                     f"{100 * best:.2f}% against zeroing {100 * zero:.2f}%: {gain:+.2f} points (target ≥ +10): "
                     f"{verdict(gain >= 10)}" + ("" if gain >= 10 else f" by {10 - gain:.2f} points") + ".")
    costs = []
    for s in (x for x in sparsities if x <= 0.7):
        best, scope = best_mean(rows, "unit-norm+l1", s)
        costs.append((100 * (top1(rows, "unit-norm+l1", "threshold", "none", s) - best), s, scope))
    if costs:
        worst = max(costs)
        lines.append(f"- Recovery on the penalty-trained model up to 70%: best mean recovery costs at most "
                     f"{worst[0]:.2f} points against zeroing (at {worst[1]:.0%}, {worst[2]}; target ≤ 1): "
                     f"{verdict(worst[0] <= 1)}" + ("" if worst[0] <= 1 else f" by {worst[0] - 1:.2f} points")
                     + " (" + ", ".join(f"{s:.0%}: {c:+.2f}" for c, s, _ in sorted(costs, key=lambda c: c[1]))
                     + "; positive = mean recovery is worse).")
    for t in trainings:
        if t["training"] not in ABLATION:
            lines += penalty_targets(rows, sparsities, t["training"], t["description"].replace(" (tried)", ""))
    return lines


def plot(rows, sparsities, trainings, path):
    """One panel per method (zero, mean per filter, mean per layer), one line per training in each."""
    colours = ("tab:red", "tab:orange", "tab:blue", "tab:green", "tab:purple", "tab:brown", "tab:pink")
    methods = (("threshold", "none"), ("threshold+mean", "filter"), ("threshold+mean", "layer"))
    fig, axes = plt.subplots(1, len(methods), figsize=(13, 4.8), sharey=True)
    for ax, (method, scope) in zip(axes, methods):
        for colour, t in zip(colours, trainings):
            ys = [drop(rows, t["training"], method, scope, s) for s in sparsities]
            ax.plot([100 * s for s in sparsities], ys, marker="o", markersize=3, color=colour,
                    label=t["description"])
        ax.set_title({"zero": "zeroed", "mean/filter": "mean recovery per filter",
                      "mean/layer": "mean recovery per layer"}[label(method, scope)])
        ax.set_xlabel("target sparsity (%)")
        ax.set_yscale("symlog", linthresh=1)
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("top-1 drop against the dense model (points)")
    axes[0].legend(fontsize=8)
    fig.suptitle("Fashion-MNIST, ResNet-20 with batch norm: top-1 drop after pruning, no fine-tuning")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})


def main():
    work, out, settings_path = sys.argv[1:4]
    settings = json.load(open(settings_path))
    sparsities = settings["sparsities"]
    rows, trainings = load(work, settings)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 2 ** 20
    machine = {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": os.cpu_count(),
               "memoryGiB": round(mem, 1), "os": platform.platform()}
    target_lines = targets(rows, sparsities, trainings)
    json.dump({"dataset": DATASET, "machine": machine, "settings": settings, "trainings": trainings, "rows": rows,
               "targets": target_lines}, open(os.path.join(out, "fidelity.json"), "w"), indent=2)
    plot(rows, sparsities, trainings, os.path.join(out, "fidelity-drop.svg"))

    s = settings
    md = [f"# Fidelity: retraining-free pruning on Fashion-MNIST, official split ({machine['date']})", "",
          f"Machine: {cpu}, {machine['cores']} cores, {machine['memoryGiB']} GiB, {machine['os']}. "
          f"Wall time of `bench/fidelity.sh`: {s['wallSeconds'] / 60:.1f} minutes.", "",
          f"{len(trainings)} trainings of {s['architecture']} (width {s['width']}, batch norm) with the same seed "
          f"({s['seed']}), "
          f"data and budget ({s['epochs']} epochs, batch {s['batchSize']}, SGD momentum 0.9, learning rate 0.01, "
          "cosine schedule), each final checkpoint pushed through the real pipeline (broker, pruner-service, "
          "evaluator-service). The pruner zeroes the smallest |w| of every conv and dense kernel to each target "
          "(per-layer thresholds, first conv and classifier included), and also replaces them with the mean of the "
          "pruned values per filter and per layer. No fine-tuning; top-1 on the 10,000 test images.", "",
          "| training | method | dense top-1 | train s | " + " | ".join(f"{x:.0%}" for x in sparsities) + " |",
          "|---|---|---|---|" + "---|" * len(sparsities)]
    for t in trainings:
        for method, scope in (("threshold", "none"), ("threshold+mean", "filter"), ("threshold+mean", "layer")):
            cells = []
            for x in sparsities:
                v = top1(rows, t["training"], method, scope, x)
                cells.append(f"{100 * v:.2f} ({-drop(rows, t['training'], method, scope, x):+.2f})")
            md.append(f"| {t['description']} | {label(method, scope)} | {100 * t['denseTop1']:.2f} | "
                      f"{t['trainSeconds']:.0f} | " + " | ".join(cells) + " |")
    md += ["", "Cells: top-1 % after pruning (change in points against the same model dense).", "",
           "![top-1 drop against sparsity](fidelity-drop.svg)", "", "## Targets", ""] + target_lines
    open(os.path.join(out, "fidelity.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
