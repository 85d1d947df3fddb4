package io.prunestream.pruning.structured;

import io.prunestream.pruning.LayerWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Ranks a layer's filters (its output channels, {@link LayerWeights#filterOf}) by the L1 norm of their weights and
 * chooses the ones to keep: the baseline of structured pruning (Li et al., "Pruning Filters for Efficient
 * ConvNets"), and how TPP chooses the filters it will prune before training.
 */
public final class FilterRanking {

    private FilterRanking() {
    }

    /** Sum of |w| per filter. */
    public static double[] l1Norms(LayerWeights layer) {
        int filters = layer.filters();
        double[] norms = new double[filters];
        float[] values = layer.values();
        for (int i = 0; i < values.length; i++) {
            norms[layer.filterOf(i)] += Math.abs(values[i]);
        }
        return norms;
    }

    /**
     * The filters to keep when a fraction {@code ratio} of them is pruned: the largest-norm ones, at least one,
     * in ascending index order (the order the smaller layer stores them in). Ties go to the lower index, so the
     * choice is the same on every run.
     *
     * @param ratio in [0, 1): the share of filters removed, rounded to the nearest whole filter
     */
    public static int[] keep(double[] norms, double ratio) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("pruning ratio " + ratio + " is outside [0, 1)");
        }
        int filters = norms.length;
        if (filters == 0) {
            throw new IllegalArgumentException("a layer without filters has nothing to keep");
        }
        int kept = keptCount(filters, ratio);
        return IntStream.range(0, filters).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -norms[i]).thenComparingInt(i -> i))
                .limit(kept).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** How many of {@code filters} stay when the ratio's share is removed: the nearest count, at least one. */
    public static int keptCount(int filters, double ratio) {
        return Math.max(1, filters - (int) Math.round(ratio * filters));
    }

    /**
     * The ratio at which removing the same share of filters from each of the {@code removable} groups (keeping
     * every channel of the others) brings the multiply-adds of {@code model} closest to {@code target}: how
     * {@code filter-l1} is compared with a method that prunes to a multiply-add target. Below what one filter per
     * removable group costs, that least cost's ratio.
     */
    public static double ratioFor(ChannelCostModel model, boolean[] removable, long target) {
        if (removable.length != model.groups().size()) {
            throw new IllegalArgumentException(removable.length + " flags for " + model.groups().size() + " groups");
        }
        double low = 0;
        double high = 1;
        // The cost only falls as the ratio grows; bisect to where it crosses the target, then take the nearer side.
        for (int round = 0; round < 50; round++) {
            double middle = (low + high) / 2;
            if (cost(model, removable, middle) > target) {
                low = middle;
            } else {
                high = middle;
            }
        }
        double below = Math.min(high, Math.nextDown(1.0));
        return Math.abs(cost(model, removable, low) - target) <= Math.abs(cost(model, removable, below) - target)
                ? low : below;
    }

    private static long cost(ChannelCostModel model, boolean[] removable, double ratio) {
        int[] kept = new int[removable.length];
        for (int g = 0; g < kept.length; g++) {
            int channels = model.groups().get(g);
            kept[g] = removable[g] ? keptCount(channels, ratio) : channels;
        }
        return model.multiplyAdds(kept);
    }

    /** The complement of {@code kept} in {@code 0 .. filters-1}: the filters removed. */
    public static int[] removed(int[] kept, int filters) {
        boolean[] keep = new boolean[filters];
        for (int index : kept) {
            keep[index] = true;
        }
        return IntStream.range(0, filters).filter(i -> !keep[i]).toArray();
    }

    /** Checks that {@code kept} is a strictly increasing, non-empty list of filters of a layer with {@code filters}. */
    public static void requireValid(String layer, int[] kept, int filters) {
        if (kept.length == 0) {
            throw new IllegalArgumentException("layer " + layer + ": no filter kept; at least one must stay");
        }
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] < 0 || kept[i] >= filters || (i > 0 && kept[i] <= kept[i - 1])) {
                throw new IllegalArgumentException("layer " + layer + ": kept filters " + Arrays.toString(kept)
                        + " are not increasing indices below " + filters);
            }
        }
    }

    /** Per group: every channel of an unscored one, what {@code rule} keeps of a scored one. */
    static List<int[]> perGroup(List<double[]> scores, ChannelCostModel model,
            Function<double[], int[]> rule) {
        if (scores.size() != model.groups().size()) {
            throw new IllegalArgumentException("scores for " + scores.size() + " channel groups, but the model has "
                    + model.groups().size());
        }
        List<int[]> kept = new ArrayList<>();
        for (int g = 0; g < scores.size(); g++) {
            double[] group = scores.get(g);
            kept.add(group == null ? IntStream.range(0, model.groups().get(g)).toArray() : rule.apply(group));
        }
        return kept;
    }
}
