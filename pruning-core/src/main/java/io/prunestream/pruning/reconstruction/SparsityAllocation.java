package io.prunestream.pruning.reconstruction;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Non-uniform sparsity by dynamic programming (OBC's per-layer database with SPDY's search, NeurIPS 2022): each layer
 * takes one point of its {@link ErrorCurve}, so that at least the target share of all weights is removed and the sum
 * of the layers' relative errors is the least. The budget is counted in units of weights: one weight up to
 * {@link #UNITS} weights in all, else {@code total / UNITS}, each layer's removals rounded down to whole units, so that
 * an allocation that meets the budget in units removes at least the target in weights.
 */
public final class SparsityAllocation {

    /** The most budget units the search runs over (its cost is layers x units x points). */
    public static final int UNITS = 20_000;

    private SparsityAllocation() {
    }

    /**
     * Each layer's sparsity, by name, in {@code curves}' order.
     *
     * @throws IllegalArgumentException when the curves' highest points together remove less than {@code target}
     */
    public static Map<String, Double> allocate(List<ErrorCurve> curves, double target) {
        if (!(target >= 0 && target < 1)) {
            throw new IllegalArgumentException("target sparsity " + target + " outside [0, 1)");
        }
        long total = curves.stream().mapToLong(ErrorCurve::parameters).sum();
        double unit = Math.max(1, (double) total / UNITS);
        int budget = (int) Math.ceil(target * total / unit - 1e-9);
        // best[u]: least error of the layers so far removing u units (budget and beyond both counted as budget).
        double[] best = new double[budget + 1];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        best[0] = 0;
        int[][] choice = new int[curves.size()][budget + 1];
        for (int l = 0; l < curves.size(); l++) {
            ErrorCurve curve = curves.get(l);
            double[] errors = curve.errors();
            double[] next = new double[budget + 1];
            Arrays.fill(next, Double.POSITIVE_INFINITY);
            for (int u = 0; u <= budget; u++) {
                if (best[u] == Double.POSITIVE_INFINITY) {
                    continue;
                }
                for (int i = 0; i < errors.length; i++) {
                    int to = (int) Math.min(budget, u + (long) Math.floor(curve.pruned(i) / unit + 1e-9));
                    double error = best[u] + errors[i];
                    if (error < next[to]) {
                        next[to] = error;
                        choice[l][to] = i * (budget + 1) + u;
                    }
                }
            }
            best = next;
        }
        if (best[budget] == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("the layers' curves reach at most "
                    + curves.stream().mapToLong(c -> c.pruned(c.sparsities().length - 1)).sum() + " of " + total
                    + " weights removed, less than the target sparsity " + target);
        }
        int[] picked = new int[curves.size()];
        for (int l = curves.size() - 1, u = budget; l >= 0; l--) {
            picked[l] = choice[l][u] / (budget + 1);
            u = choice[l][u] % (budget + 1);
        }
        Map<String, Double> sparsity = new LinkedHashMap<>();
        for (int l = 0; l < curves.size(); l++) {
            sparsity.put(curves.get(l).name(), curves.get(l).sparsities()[picked[l]]);
        }
        return sparsity;
    }
}
