package io.prunestream.pruning.reconstruction;

import java.util.Arrays;

/**
 * One layer's error against its sparsity, as the allocation reads it: at each of {@code sparsities} (ascending, in
 * [0, 1)), the layer's output error once pruned to it, relative to its output ({@code errors}, same length).
 */
public record ErrorCurve(String name, long parameters, double[] sparsities, double[] errors) {

    public ErrorCurve {
        if (sparsities.length == 0 || sparsities.length != errors.length) {
            throw new IllegalArgumentException("layer " + name + ": " + sparsities.length + " sparsities and "
                    + errors.length + " errors");
        }
        for (int i = 0; i < sparsities.length; i++) {
            if (!(sparsities[i] >= 0 && sparsities[i] < 1) || i > 0 && sparsities[i] <= sparsities[i - 1]) {
                throw new IllegalArgumentException("layer " + name + ": sparsities " + Arrays.toString(sparsities)
                        + " are not ascending in [0, 1)");
            }
            if (!Double.isFinite(errors[i]) || errors[i] < 0) {
                throw new IllegalArgumentException("layer " + name + ": error " + errors[i] + " at sparsity "
                        + sparsities[i]);
            }
        }
        sparsities = sparsities.clone();
        errors = errors.clone();
    }

    /** How many of the layer's weights sparsity {@code i} removes: as the pruners count it, rounded. */
    public long pruned(int i) {
        return Math.round(sparsities[i] * parameters);
    }

    @Override
    public double[] sparsities() {
        return sparsities.clone();
    }

    @Override
    public double[] errors() {
        return errors.clone();
    }
}
