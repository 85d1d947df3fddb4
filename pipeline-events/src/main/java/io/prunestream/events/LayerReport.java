package io.prunestream.events;

/**
 * What pruning did to one layer's kernel: its size, how many weights were pruned (so its sparsity: the share a global
 * allocation gave it), the magnitude threshold, the recovery value (the layer's constant, the mean of its per-filter
 * constants, or null when pruned weights are zero), and, for {@code obs}, how the kernel was solved
 * ({@code exact}, {@code sparsegpt}, or {@code magnitude: <why it could not be reconstructed>}; null for the other
 * methods).
 */
public record LayerReport(String name, long parameters, long pruned, double threshold, Double recoveryValue,
        String solver) {

    /** A layer of a method with no solver to name. */
    public LayerReport(String name, long parameters, long pruned, double threshold, Double recoveryValue) {
        this(name, parameters, pruned, threshold, recoveryValue, null);
    }

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
        if (solver != null && solver.isBlank()) {
            throw new IllegalArgumentException("layers[" + name + "].solver: blank (leave it out instead)");
        }
    }

    /** The share of the kernel's weights pruned. */
    public double sparsity() {
        return parameters == 0 ? 0 : (double) pruned / parameters;
    }
}
