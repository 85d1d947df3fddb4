package io.prunestream.pruning;

/** Pruned weights become zero: plain magnitude thresholding. */
public final class ZeroRecovery implements Recovery {

    @Override
    public String method() {
        return "threshold";
    }

    @Override
    public String scope() {
        return "none";
    }

    @Override
    public Recovered apply(LayerWeights layer, Mask mask) {
        float[] values = layer.values().clone();
        for (int i = mask.pruned().nextSetBit(0); i >= 0; i = mask.pruned().nextSetBit(i + 1)) {
            values[i] = 0f;
        }
        return new Recovered(values, null, 0);
    }
}
