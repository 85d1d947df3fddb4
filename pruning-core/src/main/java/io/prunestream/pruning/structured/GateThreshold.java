package io.prunestream.pruning.structured;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns trained gates into kept channels at a multiply-add target (AutoBot's selection): one global threshold on the
 * gates, found by bisection — start at 0.5 with a step of 0.25, halved every round, the threshold moving up while the
 * kept channels cost more than the target and down otherwise — until the cost is within the tolerance or 50 rounds
 * have passed. A channel is kept when its gate is above the threshold; a group that would keep none keeps its largest
 * gate, so every layer stays connected.
 */
public final class GateThreshold {

    static final int ROUNDS = 50;

    /** The kept channels of each group (increasing indices), what they cost, the threshold and the rounds it took. */
    public record Selection(List<int[]> kept, long multiplyAdds, double threshold, int rounds) {
    }

    private GateThreshold() {
    }

    /**
     * @param gates per group, one value in [0, 1] per channel
     * @param target the multiply-adds to reach
     * @param tolerance how far from the target is close enough
     * @throws IllegalArgumentException if even one channel per group costs more than the target (naming both)
     */
    public static Selection select(List<float[]> gates, ChannelCostModel model, long target, long tolerance) {
        if (gates.size() != model.groups().size()) {
            throw new IllegalArgumentException("gates for " + gates.size() + " groups, but the model has "
                    + model.groups().size());
        }
        for (int g = 0; g < gates.size(); g++) {
            if (gates.get(g).length != model.groups().get(g)) {
                throw new IllegalArgumentException("group " + g + ": " + gates.get(g).length + " gates for "
                        + model.groups().get(g) + " channels");
            }
        }
        long least = model.leastMultiplyAdds();
        if (least > target) {
            throw new IllegalArgumentException("target of " + target + " multiply-adds is unreachable: one channel"
                    + " per group already costs " + least + " (the full network " + model.multiplyAdds() + ")");
        }
        double threshold = 0.5;
        double step = 0.25;
        List<int[]> kept = keep(gates, threshold);
        long cost = model.multiplyAdds(counts(kept));
        int round = 1;
        while (Math.abs(cost - target) > tolerance && round < ROUNDS) {
            threshold += cost > target ? step : -step;
            step /= 2;
            kept = keep(gates, threshold);
            cost = model.multiplyAdds(counts(kept));
            round++;
        }
        return new Selection(kept, cost, threshold, round);
    }

    /** Per group, the channels whose gate is above {@code threshold}, or the largest gate's alone if none is. */
    static List<int[]> keep(List<float[]> gates, double threshold) {
        List<int[]> kept = new ArrayList<>();
        for (float[] group : gates) {
            int[] above = java.util.stream.IntStream.range(0, group.length).filter(i -> group[i] > threshold)
                    .toArray();
            if (above.length == 0) {
                int largest = 0;
                for (int i = 1; i < group.length; i++) {
                    if (group[i] > group[largest]) {
                        largest = i;
                    }
                }
                above = new int[] {largest};
            }
            kept.add(above);
        }
        return kept;
    }

    private static int[] counts(List<int[]> kept) {
        return kept.stream().mapToInt(k -> k.length).toArray();
    }
}
