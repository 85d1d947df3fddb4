"""PyTorch on CPU running the small CNN with the weights bench's ScoringSpeed exported, for bench/speed.sh.

The network is the trainer's small-cnn, layer for layer: standardise with the training split's mean and std,
conv 5x5 (SAME) + bias - ReLU - maxpool 2 - conv 5x5 (SAME) + bias - ReLU - maxpool 2 - flatten in TensorFlow's
(height, width, channel) order - dense + bias - ReLU - the classifier (a dense layer with bias, or hyperspherical
learning's cosine classifier s * (x / |x|) . w). Kernels are transposed from TensorFlow's layout. Scores the exported
test images in batches; images/s counts the forward passes alone (tensor in, logits out as numpy), like the
evaluator. Median of R runs after W warm-ups.

Usage: torch_score.py EXPORT_FOLDER RESULTS_JSON [R] [W] [BATCH] [THREADS]
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional


class SmallCnn(nn.Module):
    def __init__(self, tensors, mean, std):
        super().__init__()
        self.mean, self.std = mean, std
        conv = lambda k: torch.from_numpy(np.ascontiguousarray(k.transpose(3, 2, 0, 1)))  # noqa: E731
        dense = lambda k: torch.from_numpy(np.ascontiguousarray(k.T))  # noqa: E731
        self.conv1_w, self.conv1_b = conv(tensors["conv1/kernel"]), torch.from_numpy(tensors["conv1/bias"])
        self.conv2_w, self.conv2_b = conv(tensors["conv2/kernel"]), torch.from_numpy(tensors["conv2/bias"])
        self.dense1_w, self.dense1_b = dense(tensors["dense1/kernel"]), torch.from_numpy(tensors["dense1/bias"])
        self.cosine = "cosine1/kernel" in tensors
        if self.cosine:
            self.classifier_w = dense(tensors["cosine1/kernel"])
            self.scale = float(tensors["cosine1/scale"])
        else:
            self.classifier_w = dense(tensors["dense2/kernel"])
            self.classifier_b = torch.from_numpy(tensors["dense2/bias"])

    def forward(self, images):  # images: [n, rows, columns, 1] in [0, 1], as the SavedModel takes them
        x = ((images - self.mean) / self.std).permute(0, 3, 1, 2)
        x = functional.max_pool2d(functional.relu(functional.conv2d(x, self.conv1_w, self.conv1_b, padding=2)), 2)
        x = functional.max_pool2d(functional.relu(functional.conv2d(x, self.conv2_w, self.conv2_b, padding=2)), 2)
        x = x.permute(0, 2, 3, 1).flatten(1)
        x = functional.relu(functional.linear(x, self.dense1_w, self.dense1_b))
        if self.cosine:
            unit = x / torch.sqrt((x * x).sum(1, keepdim=True) + 1e-12)
            return self.scale * functional.linear(unit, self.classifier_w)
        return functional.linear(x, self.classifier_w, self.classifier_b)


def load(folder):
    with open(os.path.join(folder, "tensors.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    flat = np.fromfile(os.path.join(folder, "tensors.f32"), dtype="<f4")
    tensors, offset = {}, 0
    for t in manifest["tensors"]:
        size = int(np.prod(t["shape"])) if t["shape"] else 1
        tensors[t["name"]] = flat[offset:offset + size].reshape(t["shape"]).copy()
        offset += size
    if offset != flat.size:
        sys.exit(f"{folder}: {flat.size} floats, but the shapes add up to {offset}")
    images = np.fromfile(os.path.join(folder, "images.f32"), dtype="<f4")
    images = images.reshape(manifest["count"], manifest["rows"], manifest["columns"], 1)
    labels = np.fromfile(os.path.join(folder, "labels.u8"), dtype=np.uint8)
    return manifest, tensors, images, labels


def main():
    folder, results = sys.argv[1:3]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 256
    threads = int(sys.argv[6]) if len(sys.argv) > 6 else os.cpu_count()
    # Debian's build starts with one thread; TensorFlow uses every core, so PyTorch gets them too.
    torch.set_num_threads(threads)
    manifest, tensors, images, labels = load(folder)
    model = SmallCnn(tensors, manifest["pixelMean"], manifest["pixelStd"]).eval()
    batches = [images[i:i + batch] for i in range(0, len(images), batch)]

    def score():
        busy, correct = 0.0, 0
        with torch.no_grad():
            for i, b in enumerate(batches):
                t = time.perf_counter()
                logits = model(torch.from_numpy(b)).numpy()
                busy += time.perf_counter() - t
                correct += int((logits.argmax(1) == labels[i * batch:i * batch + len(b)]).sum())
        return busy, correct

    for _ in range(warmup):
        score()
    timings = sorted(score() for _ in range(runs))
    median_s, correct = timings[len(timings) // 2]
    row = {"torch": torch.__version__, "threads": torch.get_num_threads(), "images": len(images),
           "batchSize": batch, "runs": runs, "warmup": warmup, "top1": correct / len(images),
           "medianScoringMs": 1000 * median_s, "imagesPerSecond": len(images) / median_s,
           "cosineClassifier": model.cosine}
    with open(results, "w", encoding="utf-8") as f:
        json.dump(row, f, indent=2)
    print(row)


if __name__ == "__main__":
    main()
