package io.prunestream.statistics;

/**
 * An anytime-valid confidence sequence for a variant's drop against its dense model, updated one image at a time:
 * with probability at least {@code level}, every interval it ever reports contains the true drop at once, so an
 * evaluation may look after each chunk of images and stop whenever it likes without the interval losing its
 * coverage (a fixed-sample interval looked at repeatedly does lose it).
 *
 * <p>Each image gives {@code x = denseRight - variantRight} in {-1, 0, 1}, mapped to {@code y = (x + 1) / 2} in
 * [0, 1]; the sequence is Waudby-Smith and Ramdas' predictable plug-in empirical-Bernstein confidence sequence
 * ("Estimating means of bounded random variables by betting", JRSS-B 86:1, 2024, Theorem 2), intersected over time.
 * Empirical-Bernstein, not Hoeffding: its width follows the variance of {@code x}, which is small when the two models
 * agree on most images — the usual case — where a Hoeffding bound would need 25 times as many images.
 */
public final class DropSequence {

    /** The largest bet, Waudby-Smith and Ramdas' {@code c}. */
    private static final double MAX_LAMBDA = 0.5;

    private final double level;
    private final double logTwoOverAlpha;
    private long images;
    private double sumY;
    private double sumSquares;
    private double sumLambda;
    private double sumLambdaY;
    private double sumPenalty;
    private double low = -1;
    private double high = 1;

    public DropSequence(double level) {
        Proportions.requireLevel(level);
        this.level = level;
        this.logTwoOverAlpha = Math.log(2 / (1 - level));
    }

    /** Adds one image: whether the dense model and the variant each got it right. */
    public void add(boolean denseRight, boolean variantRight) {
        double y = ((denseRight ? 1 : 0) - (variantRight ? 1 : 0) + 1) / 2.0;
        // Predictable: the bet and the centre use only the images before this one.
        double mean = (0.5 + sumY) / (images + 1);
        double variance = (0.25 + sumSquares) / (images + 1);
        long t = images + 1;
        double lambda = Math.min(Math.sqrt(2 * logTwoOverAlpha / (variance * t * Math.log(1 + t))), MAX_LAMBDA);
        double deviation = y - mean;
        sumPenalty += 4 * deviation * deviation * (-Math.log(1 - lambda) - lambda) / 4;
        sumLambda += lambda;
        sumLambdaY += lambda * y;
        images = t;
        sumY += y;
        double updatedMean = (0.5 + sumY) / (images + 1);
        sumSquares += (y - updatedMean) * (y - updatedMean);
        double centre = sumLambdaY / sumLambda;
        double margin = (logTwoOverAlpha + sumPenalty) / sumLambda;
        // Back from y in [0, 1] to the drop in [-1, 1]; the running intersection is valid as well, and never wider.
        low = Math.max(low, 2 * Math.max(0, centre - margin) - 1);
        high = Math.min(high, 2 * Math.min(1, centre + margin) - 1);
    }

    public long images() {
        return images;
    }

    /** The drop's interval now; [-1, 1] before the first image. */
    public Interval interval() {
        // Rounding can make a running intersection of near-equal ends cross by an ulp: it holds the point between.
        return low <= high ? new Interval(low, high, level) : new Interval((low + high) / 2, (low + high) / 2, level);
    }
}
