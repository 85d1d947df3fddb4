package io.prunestream.tensorflow.structured;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.pruning.structured.GateThreshold;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.training.NetworkSpec;

/**
 * AutoBot end to end ({@code ../shared/docs/papers.md} §2): trains the gates of a checkpoint's channel groups
 * towards a multiply-add target ({@link GateTraining}), turns them into kept channels with one global threshold
 * ({@link GateThreshold}), and removes the others, stages included ({@link FilterRemoval#sliceChannels}). The kept
 * weights are not changed: the paper's pruned models are its gated ones without the gates.
 */
public final class Bottleneck {

    /**
     * How close to the target the threshold must bring the multiply-adds, as a share of the full network's (the
     * paper's 50,000 FLOPs is 0.04% of its ResNet-56; the channel counts of a small network are coarser).
     */
    public static final double TOLERANCE = 0.002;

    /** The smaller network, the gates it came from, and the threshold's selection. */
    public record Result(FilterRemoval.Smaller smaller, GateTraining.Gates gates, GateThreshold.Selection selection,
            long targetMultiplyAdds, long denseMultiplyAdds) {
    }

    private Bottleneck() {
    }

    /**
     * The multiply-adds of {@code share} of {@code network}'s.
     *
     * @throws IllegalArgumentException if the share is outside (0, 1) or even one channel per group costs more
     *     (naming both numbers)
     */
    public static long target(NetworkSpec network, double share) throws TensorFlowException {
        return target(NetworkCosts.channelModel(network), share);
    }

    /** The multiply-adds of {@code share} of the full network's, for a network whose channel costs are known. */
    public static long target(ChannelCostModel model, double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("multiply-add target " + share + " is outside (0, 1): it is a share"
                    + " of the full network's");
        }
        if (model.groups().isEmpty()) {
            throw new IllegalArgumentException("the network has no channel groups to gate; gates need a ResNet");
        }
        long full = model.multiplyAdds();
        long target = Math.round(share * full);
        long least = model.leastMultiplyAdds();
        if (least > target) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "multiply-add target %s"
                    + " (%d of %d) is unreachable: one channel per layer already costs %d (%.4f of the full network)",
                    share, target, full, least, (double) least / full));
        }
        return target;
    }

    /** Trains the gates of {@code source}'s network on {@code data} and removes what they close. */
    public static Result prune(ModelWeights source, NetworkSpec network, LabeledImages data,
            GateTraining.Settings settings) throws TensorFlowException {
        ChannelCostModel model = NetworkCosts.channelModel(network);
        GateTraining.Gates gates = GateTraining.train(network, source.floatValues(), data, settings);
        long full = model.multiplyAdds();
        GateThreshold.Selection selection = GateThreshold.select(gates.gates(), model,
                settings.targetMultiplyAdds(), Math.max(1, Math.round(TOLERANCE * full)));
        FilterRemoval.Smaller smaller = FilterRemoval.sliceChannels(source, network, selection.kept());
        return new Result(smaller, gates, selection, settings.targetMultiplyAdds(), full);
    }
}
