package io.prunestream.events;

/**
 * How a {@code bottleneck} variant was chosen: the share of the full network's multiply-adds it was to keep
 * ({@code flopsTarget}), the global gate threshold that came closest, the {@code batches} the gates trained for, the
 * step whose gates were kept (the lowest loss after 60% of the steps) and that {@code loss}, and how long the gate
 * training took ({@code trainingMillis}).
 */
public record GateReport(double flopsTarget, double threshold, int batches, int step, double loss,
        long trainingMillis) {

    public GateReport {
        if (!(flopsTarget > 0 && flopsTarget < 1)) {
            throw new IllegalArgumentException("gates.flopsTarget: " + flopsTarget + " is outside (0, 1)");
        }
        if (!Double.isFinite(threshold) || !Double.isFinite(loss)) {
            throw new IllegalArgumentException("gates: threshold " + threshold + " and loss " + loss
                    + " must be finite");
        }
        Require.atLeast(batches, 1, "gates.batches");
        Require.between(step, 0, batches, true, "gates.step");
        Require.atLeast(trainingMillis, 0, "gates.trainingMillis");
    }
}
