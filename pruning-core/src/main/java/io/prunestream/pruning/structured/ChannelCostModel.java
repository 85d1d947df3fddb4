package io.prunestream.pruning.structured;

import java.util.List;

/**
 * A network's multiply-adds per image as a function of how many channels each gate group keeps: a sum of terms
 * {@code coefficient · in · out}, where {@code in} and {@code out} are either a group's kept count or a fixed count.
 * A convolution's coefficient is its output's height · width · k · k; a dense layer's is 1. The same sum with soft
 * counts (the sum of a group's gates) is what gate training makes differentiable (AutoBot's FLOPs term).
 *
 * @param groups the number of channels of each group in the full network
 */
public record ChannelCostModel(List<Term> terms, List<Integer> groups) {

    /** No group: a count that pruning does not change. */
    public static final int FIXED = -1;

    /**
     * One layer's share: {@code coefficient · in · out}.
     *
     * @param inGroup the group whose kept count is {@code in}, or {@link #FIXED} for {@code inChannels}
     * @param outGroup likewise for {@code out}
     */
    public record Term(String layer, long coefficient, int inGroup, long inChannels, int outGroup, long outChannels) {

        public Term {
            if (coefficient < 0 || inChannels < 1 || outChannels < 1) {
                throw new IllegalArgumentException("layer " + layer + ": coefficient " + coefficient + ", "
                        + inChannels + " in and " + outChannels + " out channels must be positive");
            }
        }
    }

    public ChannelCostModel {
        terms = List.copyOf(terms);
        groups = List.copyOf(groups);
        for (Term term : terms) {
            check(term, term.inGroup(), term.inChannels(), groups);
            check(term, term.outGroup(), term.outChannels(), groups);
        }
    }

    private static void check(Term term, int group, long channels, List<Integer> groups) {
        if (group != FIXED && (group < 0 || group >= groups.size() || groups.get(group) != channels)) {
            throw new IllegalArgumentException("layer " + term.layer() + ": group " + group + " with " + channels
                    + " channels is not one of the " + groups.size() + " groups " + groups);
        }
    }

    /** Multiply-adds when group g keeps {@code kept[g]} channels. */
    public long multiplyAdds(int[] kept) {
        requireSize(kept.length);
        long total = 0;
        for (Term term : terms) {
            total += term.coefficient() * count(term.inGroup(), term.inChannels(), kept)
                    * count(term.outGroup(), term.outChannels(), kept);
        }
        return total;
    }

    /** The full network's multiply-adds. */
    public long multiplyAdds() {
        return multiplyAdds(groups.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The least multiply-adds any selection can reach: one channel kept in every group. */
    public long leastMultiplyAdds() {
        int[] one = new int[groups.size()];
        java.util.Arrays.fill(one, 1);
        return multiplyAdds(one);
    }

    /** Multiply-adds with soft counts: {@code soft[g]} channels of group g (a sum of gates). */
    public double multiplyAdds(double[] soft) {
        requireSize(soft.length);
        double total = 0;
        for (Term term : terms) {
            double in = term.inGroup() == FIXED ? term.inChannels() : soft[term.inGroup()];
            double out = term.outGroup() == FIXED ? term.outChannels() : soft[term.outGroup()];
            total += term.coefficient() * in * out;
        }
        return total;
    }

    private static long count(int group, long channels, int[] kept) {
        return group == FIXED ? channels : kept[group];
    }

    private void requireSize(int length) {
        if (length != groups.size()) {
            throw new IllegalArgumentException("counts for " + length + " groups, but the model has "
                    + groups.size());
        }
    }
}
