package io.prunestream.events;

/**
 * A score's confidence interval, {@code [low, high]} at {@code level} (0.95 for 95%); for top-1, Wilson's, or for a
 * variant scored sequentially a confidence sequence's for the whole split's top-1.
 */
public record ScoreInterval(double low, double high, double level) {

    public ScoreInterval {
        Require.between(level, 0, 1, false, "level");
        Require.between(low, 0, 1, false, "low");
        Require.between(high, 0, 1, false, "high");
        if (low > high || level == 0 || level == 1) {
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] at level " + level
                    + ": low must not exceed high, and the level is in (0, 1)");
        }
    }

    /** Whether {@code value} lies inside, allowing for the rounding of either's arithmetic. */
    public boolean contains(double value) {
        return value >= low - 1e-9 && value <= high + 1e-9;
    }
}
