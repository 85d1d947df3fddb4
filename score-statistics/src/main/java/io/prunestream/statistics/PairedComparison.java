package io.prunestream.statistics;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * Two models scored on the same images, as the four counts of their 2x2 table: images both got right, only the
 * first (the dense model) got right, only the second (the variant), neither. The drop is the first's top-1 minus the
 * second's, {@code (firstOnly - secondOnly) / images}; pairing makes it far more precise than two separate top-1s,
 * as the images both get right or both get wrong say nothing about the difference.
 */
public record PairedComparison(long both, long firstOnly, long secondOnly, long neither) {

    public PairedComparison {
        if (both < 0 || firstOnly < 0 || secondOnly < 0 || neither < 0) {
            throw new IllegalArgumentException("counts " + both + ", " + firstOnly + ", " + secondOnly + ", "
                    + neither + ": none may be negative");
        }
        if (both + firstOnly + secondOnly + neither < 1) {
            throw new IllegalArgumentException("no images to compare");
        }
    }

    public long images() {
        return both + firstOnly + secondOnly + neither;
    }

    /** The first's top-1 minus the second's. */
    public double drop() {
        return (firstOnly - secondOnly) / (double) images();
    }

    /**
     * Newcombe's hybrid score interval for a difference of paired proportions (Newcombe 1998, Statistics in Medicine
     * 17:2635, method 10): each model's Wilson interval, combined through the correlation of the pairs. Within
     * [-1, 1], and short when the models disagree on few images.
     */
    public Interval dropInterval(double level) {
        Proportions.requireLevel(level);
        long n = images();
        double p1 = (both + firstOnly) / (double) n;
        double p2 = (both + secondOnly) / (double) n;
        Interval first = Proportions.wilson(both + firstOnly, n, level);
        Interval second = Proportions.wilson(both + secondOnly, n, level);
        double phi = correlation();
        double d1 = p1 - first.low();
        double u1 = first.high() - p1;
        double d2 = p2 - second.low();
        double u2 = second.high() - p2;
        double delta = Math.sqrt(Math.max(0, d1 * d1 - 2 * phi * d1 * u2 + u2 * u2));
        double epsilon = Math.sqrt(Math.max(0, u1 * u1 - 2 * phi * u1 * d2 + d2 * d2));
        double drop = p1 - p2;
        return new Interval(Math.max(-1, drop - delta), Math.min(1, drop + epsilon), level);
    }

    /**
     * McNemar's exact test of "neither model is better": the discordant images split as a fair coin would, a
     * two-sided binomial test of {@code firstOnly} of {@code firstOnly + secondOnly}; 1 when they agree on every image.
     */
    public double mcNemarExactP() {
        long discordant = firstOnly + secondOnly;
        if (discordant == 0) {
            return 1;
        }
        if (discordant > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(discordant + " discordant images are more than the test counts");
        }
        return BinomialTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED)
                .test((int) discordant, (int) firstOnly, 0.5).getPValue();
    }

    /** The phi coefficient of the 2x2 table; 0 where a margin is empty (the product is 0, and so is the term). */
    private double correlation() {
        double margins = (double) (both + firstOnly) * (secondOnly + neither) * (both + secondOnly)
                * (firstOnly + neither);
        return margins == 0 ? 0 : ((double) both * neither - (double) firstOnly * secondOnly) / Math.sqrt(margins);
    }
}
