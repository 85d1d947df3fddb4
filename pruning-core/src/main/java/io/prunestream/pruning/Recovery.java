package io.prunestream.pruning;

/**
 * What pruned weights become. Kept weights are never touched (bit for bit). Implementations: {@link ZeroRecovery}
 * and {@link MeanRecovery}.
 */
public interface Recovery {

    /** The method's name as events carry it: {@code threshold} or {@code threshold+mean}. */
    String method();

    /** The recovery scope as events carry it: {@code none}, {@code filter} or {@code layer}. */
    String scope();

    /** The layer's new values, and its recovery value for the report (null where there is none). */
    Recovered apply(LayerWeights layer, Mask mask);

    /** A layer after recovery. */
    record Recovered(float[] values, Double recoveryValue, int constants) {
    }
}
