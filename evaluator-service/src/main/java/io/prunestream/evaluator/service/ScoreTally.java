package io.prunestream.evaluator.service;

import io.prunestream.statistics.Correctness;
import io.prunestream.tensorflow.Logits;
import java.util.BitSet;

/**
 * Top-1, top-5 and mean cross-entropy over the batches a model answered, from logits or probabilities: one score per
 * class ({@code [N, K]} or {@code [N, 1, 1, K]}), or, for a two-class dataset, one score per image (a sigmoid output,
 * or its logit: class 1 when above 0.5, or above 0).
 */
final class ScoreTally {

    private final int classes;
    private final boolean namedLogits;
    private long top1;
    private long top5;
    private double loss;
    private int images;
    /** Which images, by position in the split, the model got right: what a variant is compared on. */
    private final BitSet correct = new BitSet();

    /**
     * @param classes the dataset's classes
     * @param namedLogits whether the scored output is named {@code logits} (never read as probabilities)
     */
    ScoreTally(int classes, boolean namedLogits) {
        this.classes = classes;
        this.namedLogits = namedLogits;
    }

    /** How many scores the model gives each image for a dataset of {@code classes}, or why that cannot be scored. */
    static String misfit(long outputs, int classes) {
        if (outputs == classes || outputs == 1 && classes == 2) {
            return null;
        }
        return "it gives " + outputs + " score" + (outputs == 1 ? "" : "s") + " per image, but the dataset has "
                + classes + " classes" + (outputs == 1 ? " (one score, a sigmoid, fits two classes only)" : "");
    }

    /** Adds a batch: {@code scores} for {@code n} images whose labels {@code label(i)} gives. */
    void add(float[] scores, int n, java.util.function.IntUnaryOperator label) {
        int perImage = scores.length / n;
        if (perImage == 1) {
            addBinary(scores, n, label);
            return;
        }
        boolean probabilities = !namedLogits && looksLikeProbabilities(scores, perImage);
        for (int i = 0; i < n; i++) {
            int truth = label.applyAsInt(i);
            int rank = Logits.rank(scores, i * perImage, perImage, truth);
            top1 += rank == 0 ? 1 : 0;
            correct.set(images + i, rank == 0);
            top5 += rank < 5 ? 1 : 0;
            loss += probabilities ? -Math.log(Math.max(scores[i * perImage + truth], 1e-12))
                    : Logits.crossEntropy(scores, i * perImage, perImage, truth);
        }
        images += n;
    }

    private void addBinary(float[] scores, int n, java.util.function.IntUnaryOperator label) {
        boolean probabilities = !namedLogits;
        for (float score : scores) {
            probabilities &= score >= 0 && score <= 1;
        }
        for (int i = 0; i < n; i++) {
            int truth = label.applyAsInt(i);
            double p = probabilities ? scores[i] : 1 / (1 + Math.exp(-scores[i]));
            boolean right = (p > 0.5 ? 1 : 0) == truth;
            top1 += right ? 1 : 0;
            correct.set(images + i, right);
            loss += -Math.log(Math.max(truth == 1 ? p : 1 - p, 1e-12));
        }
        top5 += n;
        images += n;
    }

    double top1() {
        return (double) top1 / images;
    }

    double top5() {
        return (double) top5 / images;
    }

    double loss() {
        return loss / images;
    }

    int images() {
        return images;
    }

    /** Whether the model got the image at {@code position} (in the split's order) right. */
    boolean isCorrect(int position) {
        return correct.get(position);
    }

    Correctness correctness() {
        return new Correctness(correct, images);
    }

    int classes() {
        return classes;
    }

    private static boolean looksLikeProbabilities(float[] scores, int classes) {
        for (int row = 0; row < scores.length / classes; row++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                float v = scores[row * classes + c];
                if (v < 0) {
                    return false;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-3) {
                return false;
            }
        }
        return true;
    }
}
