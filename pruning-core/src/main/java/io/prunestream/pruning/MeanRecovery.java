package io.prunestream.pruning;

/**
 * "Mean recovery" (Pruning On-the-Fly): pruned weights become the signed mean of the pruned values, taken per output
 * filter or over the whole layer. The sum of each scope is kept, so is each filter's response to a constant input,
 * which is what frozen batch-norm statistics depend on. It leaves no zeros: storing the result takes a mask plus one
 * constant per scope.
 */
public final class MeanRecovery implements Recovery {

    private final boolean perFilter;

    private MeanRecovery(boolean perFilter) {
        this.perFilter = perFilter;
    }

    public static MeanRecovery perFilter() {
        return new MeanRecovery(true);
    }

    public static MeanRecovery perLayer() {
        return new MeanRecovery(false);
    }

    @Override
    public String method() {
        return "threshold+mean";
    }

    @Override
    public String scope() {
        return perFilter ? "filter" : "layer";
    }

    @Override
    public Recovered apply(LayerWeights layer, Mask mask) {
        float[] values = layer.values().clone();
        int scopes = perFilter ? layer.filters() : 1;
        double[] sums = new double[scopes];
        int[] counts = new int[scopes];
        for (int i = mask.pruned().nextSetBit(0); i >= 0; i = mask.pruned().nextSetBit(i + 1)) {
            int scope = perFilter ? layer.filterOf(i) : 0;
            sums[scope] += values[i];
            counts[scope]++;
        }
        float[] means = new float[scopes];
        double meanOfMeans = 0;
        int used = 0;
        for (int s = 0; s < scopes; s++) {
            if (counts[s] > 0) {
                means[s] = (float) (sums[s] / counts[s]);
                meanOfMeans += means[s];
                used++;
            }
        }
        for (int i = mask.pruned().nextSetBit(0); i >= 0; i = mask.pruned().nextSetBit(i + 1)) {
            values[i] = means[perFilter ? layer.filterOf(i) : 0];
        }
        return new Recovered(values, used == 0 ? null : meanOfMeans / used, used);
    }
}
