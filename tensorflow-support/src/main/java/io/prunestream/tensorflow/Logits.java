package io.prunestream.tensorflow;

/**
 * Arithmetic on rows of class scores (logits), as the trainer and the evaluator both need it: row {@code i} of a
 * {@code [n, classes]} array starts at {@code i * classes}.
 */
public final class Logits {

    private Logits() {
    }

    /** How many classes score strictly higher than {@code label}: 0 means a correct top-1 prediction. */
    public static int rank(float[] scores, int offset, int classes, int label) {
        int rank = 0;
        for (int c = 0; c < classes; c++) {
            if (scores[offset + c] > scores[offset + label]) {
                rank++;
            }
        }
        return rank;
    }

    /** The cross-entropy of softmax(logits) against {@code label}, computed stably (log-sum-exp). */
    public static double crossEntropy(float[] logits, int offset, int classes, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[offset + c] - max);
        }
        return Math.log(sum) + max - logits[offset + label];
    }
}
