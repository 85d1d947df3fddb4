package io.prunestream.tensorflow.calibration;

/**
 * How {@code obs} reconstructs: {@code maxInputs}, the most inputs per output a kernel may take to be reconstructed
 * (wider ones are pruned by magnitude); {@code stages}, how many passes over the network reach the target, each at
 * {@code k / stages} of it with the Hessians formed again on the network the pass before left and the masks only
 * growing (CHITA's multi-stage pruner, WoodFisher's recompute schedule); {@code prunedInputs}, whether each kernel's
 * inputs are the already-pruned network's (true; each layer then makes up for the ones before it) or the dense
 * network's (false, as OBC does); {@code damping}, the share of the Hessian's mean diagonal added to it before it is
 * inverted (SparseGPT's 1% by default); {@code greedy}, whether a layer solved exactly chooses its mask by OBC's greedy
 * removal ({@link io.prunestream.pruning.reconstruction.GreedyObs}) instead of at once from the inverse Hessian's
 * diagonal ({@link io.prunestream.pruning.reconstruction.ExactObs}); {@code exactLimit}, the most rows x inputs^2 of a
 * kernel solved exactly (its masks by {@code greedy} or at once), beyond which SparseGPT's sweep prunes it (the exact
 * path keeps that many doubles and, greedy, costs rows x inputs^3); {@code batchNormWeighted}, whether each output
 * channel's error counts as the batch norm after the kernel scales it ({@link OutputScales}), so that the layer's mask
 * compares its channels as the next layer sees them.
 */
public record ReconstructionOptions(int maxInputs, int stages, boolean prunedInputs, double damping,
        boolean greedy, long exactLimit, boolean batchNormWeighted) {

    /** The default {@code exactLimit}: ResNet-20's first two stages and classifier exact, its last stage swept. */
    public static final long EXACT_LIMIT = 4_000_000;

    /** The most stages: each one costs a pass like the first. */
    public static final int MAX_STAGES = 16;

    public ReconstructionOptions {
        if (maxInputs < 1) {
            throw new IllegalArgumentException("maxInputs " + maxInputs + " is not positive");
        }
        if (!(damping > 0 && damping <= 1)) {
            throw new IllegalArgumentException("damping " + damping + " outside (0, 1]");
        }
        if (exactLimit < 0) {
            throw new IllegalArgumentException("exactLimit " + exactLimit + " is negative");
        }
        if (stages < 1 || stages > MAX_STAGES) {
            throw new IllegalArgumentException("stages " + stages + " outside 1.." + MAX_STAGES);
        }
    }

    /**
     * Every kernel it can take reconstructed, one stage, the pruned network's inputs, greedy masks, 1% damping, the
     * default exact limit, channels weighed by their batch norms.
     */
    public static ReconstructionOptions defaults() {
        return new ReconstructionOptions(Integer.MAX_VALUE, 1, true, HessianAlgebra.DAMPING, true, EXACT_LIMIT,
                true);
    }

    public ReconstructionOptions withStages(int value) {
        return new ReconstructionOptions(maxInputs, value, prunedInputs, damping, greedy, exactLimit,
                batchNormWeighted);
    }

    public ReconstructionOptions withPrunedInputs(boolean value) {
        return new ReconstructionOptions(maxInputs, stages, value, damping, greedy, exactLimit,
                batchNormWeighted);
    }
}
