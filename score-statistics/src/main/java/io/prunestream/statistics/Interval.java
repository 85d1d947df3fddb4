package io.prunestream.statistics;

/** A confidence interval {@code [low, high]} at {@code level} (0.95 for 95%). */
public record Interval(double low, double high, double level) {

    public Interval {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level: " + level + " is outside (0, 1)");
        }
        if (!(low <= high)) {
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] is empty");
        }
    }

    public boolean contains(double value) {
        return value >= low && value <= high;
    }

    public double width() {
        return high - low;
    }
}
