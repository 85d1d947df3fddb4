package io.prunestream.statistics;

import org.apache.commons.statistics.interval.BinomialConfidenceInterval;

/** Intervals for one proportion, such as a top-1 over the images scored. */
public final class Proportions {

    private Proportions() {
    }

    /**
     * The Wilson score interval of {@code successes} out of {@code trials} (Wilson 1927; Newcombe 1998's method 3):
     * close to its nominal coverage at any size, never outside [0, 1], and not degenerate at 0 or 1 successes.
     *
     * @throws IllegalArgumentException for no trials, successes outside [0, trials] or a level outside (0, 1)
     */
    public static Interval wilson(long successes, long trials, double level) {
        requireLevel(level);
        if (trials < 1 || trials > Integer.MAX_VALUE || successes < 0 || successes > trials) {
            throw new IllegalArgumentException(successes + " successes of " + trials + " trials");
        }
        org.apache.commons.statistics.interval.Interval interval = BinomialConfidenceInterval.WILSON_SCORE
                .fromErrorRate((int) trials, (int) successes, 1 - level);
        return new Interval(interval.getLowerBound(), interval.getUpperBound(), level);
    }

    static void requireLevel(double level) {
        if (!(level >= 0.5 && level < 1)) {
            throw new IllegalArgumentException("level: " + level + " is outside [0.5, 1)");
        }
    }
}
