package io.prunestream.events;

/**
 * What pruning did to one layer's kernel: its size, how many weights were pruned, the magnitude threshold, and the
 * recovery value (the layer's constant, the mean of its per-filter constants, or null when pruned weights are
 * zero).
 */
public record LayerReport(String name, long parameters, long pruned, double threshold, Double recoveryValue) {

    public LayerReport {
        Require.text(name, "layers[].name");
        Require.atLeast(parameters, 0, "layers[" + name + "].parameters");
        Require.atLeast(pruned, 0, "layers[" + name + "].pruned");
        if (pruned > parameters) {
            throw new IllegalArgumentException("layers[" + name + "].pruned: " + pruned + " exceeds parameters "
                    + parameters);
        }
        Require.between(threshold, 0, Double.MAX_VALUE, false, "layers[" + name + "].threshold");
        if (recoveryValue != null && !Double.isFinite(recoveryValue)) {
            throw new IllegalArgumentException("layers[" + name + "].recoveryValue: " + recoveryValue
                    + " is not finite");
        }
    }
}
