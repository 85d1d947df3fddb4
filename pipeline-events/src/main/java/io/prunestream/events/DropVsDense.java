package io.prunestream.events;

/**
 * A variant's drop against its dense model on the same images: dense top-1 minus the variant's (positive: the variant
 * is worse), with its confidence interval at {@code level} (Newcombe's for paired proportions; for a variant scored
 * sequentially, a confidence sequence's for the drop over the whole split).
 */
public record DropVsDense(double estimate, double low, double high, double level) {

    public DropVsDense {
        Require.between(estimate, -1, 1, false, "estimate");
        Require.between(low, -1, 1, false, "low");
        Require.between(high, -1, 1, false, "high");
        Require.between(level, 0, 1, false, "level");
        if (!(low <= estimate + 1e-9 && estimate <= high + 1e-9) || level == 0 || level == 1) {
            throw new IllegalArgumentException("dropVsDense: estimate " + estimate + " outside [" + low + ", " + high
                    + "] or level " + level + " outside (0, 1)");
        }
    }
}
