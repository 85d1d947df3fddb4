package io.prunestream.tensorflow.calibration;

import io.prunestream.pruning.LayerResult;
import io.prunestream.pruning.LayerThreshold;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.PruningException;
import io.prunestream.pruning.ZeroRecovery;
import java.util.BitSet;
import java.util.List;

/**
 * One kernel after reconstruction: its values as stored, how many were removed, the largest removed, how, and which
 * ({@code mask}, in the solver's row-major order; empty for magnitude pruning, whose next stage starts afresh).
 */
record Reconstructed(float[] values, int pruned, double threshold, String solver, BitSet mask) {

    /** A kernel that cannot be reconstructed, pruned by magnitude instead (its smallest weights zeroed). */
    static Reconstructed magnitude(float[] stored, double sparsity, String why) {
        try {
            LayerResult result = new Pruner(new LayerThreshold(), new ZeroRecovery()).prune(List.of(new LayerWeights(
                    "kernel", stored, new long[] {stored.length})), sparsity).layers().get(0);
            return new Reconstructed(result.values(), (int) result.pruned(), result.threshold(), "magnitude: " + why,
                    new BitSet());
        } catch (PruningException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
