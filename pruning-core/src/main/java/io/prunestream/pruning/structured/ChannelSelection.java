package io.prunestream.pruning.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The middle step of structured pruning (importance, selection, removal; the shape Torch-Pruning made standard): from
 * an importance per channel of each channel group — a group without scores is left whole — to the channels each
 * group keeps. Either a share per group, or one global cut to a multiply-add target where the scores of different
 * groups are comparable.
 */
public sealed interface ChannelSelection {

    /**
     * What a selection kept: per channel group, increasing channel indices; the share of each scored group's
     * channels it set out to remove; and the global threshold on the scores, where one cut chose (NaN otherwise).
     */
    record Selected(List<int[]> kept, double ratio, double threshold) {

        public boolean globalCut() {
            return !Double.isNaN(threshold);
        }
    }

    /**
     * @param scores per channel group, one score per channel (higher: more worth keeping), or null for a group left
     *     whole
     */
    Selected select(List<double[]> scores, ChannelCostModel model);

    /** Each scored group keeps its highest-scoring channels, {@code ratio}'s share removed (Li et al. 2017). */
    record PerGroupShare(double ratio) implements ChannelSelection {

        public PerGroupShare {
            if (!(ratio >= 0 && ratio < 1)) {
                throw new IllegalArgumentException("pruning ratio " + ratio + " is outside [0, 1)");
            }
        }

        @Override
        public Selected select(List<double[]> scores, ChannelCostModel model) {
            return new Selected(FilterRanking.perGroup(scores, model, s -> FilterRanking.keep(s, ratio)), ratio,
                    Double.NaN);
        }
    }

    /**
     * The same share removed from every scored group, the share whose multiply-adds come closest to
     * {@code keptShare} of the full network's: per-group scores compared at the cost of a method that cuts globally.
     */
    record PerGroupShareAtCost(double keptShare) implements ChannelSelection {

        public PerGroupShareAtCost {
            requireShare(keptShare);
        }

        @Override
        public Selected select(List<double[]> scores, ChannelCostModel model) {
            boolean[] removable = new boolean[scores.size()];
            for (int g = 0; g < removable.length; g++) {
                removable[g] = scores.get(g) != null;
            }
            return new PerGroupShare(FilterRanking.ratioFor(model, removable, Math.round(keptShare
                    * model.multiplyAdds()))).select(scores, model);
        }
    }

    /**
     * Each scored group keeps exactly its channels of positive score: a choice made before (TPP's, during training),
     * which the scores only carry. {@code ratio} is what that choice removed, for the record.
     */
    record PositiveScores(double ratio) implements ChannelSelection {

        @Override
        public Selected select(List<double[]> scores, ChannelCostModel model) {
            return new Selected(FilterRanking.perGroup(scores, model, s -> IntStream.range(0, s.length)
                    .filter(i -> s[i] > 0).toArray()), ratio, Double.NaN);
        }
    }

    /**
     * One threshold over every group's scores, bisected until the kept channels cost {@code keptShare} of the full
     * network's multiply-adds within {@code tolerance} of them ({@link GateThreshold}; AutoBot's selection; at least
     * one multiply-add). Every group must be scored, all on one scale. Its ratio is the share of multiply-adds removed.
     */
    record GlobalCut(double keptShare, double tolerance) implements ChannelSelection {

        public GlobalCut {
            requireShare(keptShare);
        }

        @Override
        public Selected select(List<double[]> scores, ChannelCostModel model) {
            List<float[]> gates = new ArrayList<>();
            for (int g = 0; g < scores.size(); g++) {
                double[] group = scores.get(g);
                if (group == null) {
                    throw new IllegalArgumentException("a global cut needs a score for every channel; group " + g
                            + " has none");
                }
                float[] values = new float[group.length];
                for (int i = 0; i < group.length; i++) {
                    values[i] = (float) group[i];
                }
                gates.add(values);
            }
            long full = model.multiplyAdds();
            GateThreshold.Selection selection = GateThreshold.select(gates, model, Math.round(keptShare * full),
                    Math.max(1, Math.round(tolerance * full)));
            return new Selected(selection.kept(), 1 - keptShare, selection.threshold());
        }
    }

    private static void requireShare(double keptShare) {
        if (!(keptShare > 0 && keptShare < 1)) {
            throw new IllegalArgumentException("multiply-add target " + keptShare + " is outside (0, 1): it is a"
                    + " share of the full network's");
        }
    }
}
