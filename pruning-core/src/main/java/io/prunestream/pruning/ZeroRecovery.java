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
        float[] source = layer.values();
        float[] values = new float[source.length];
        long[] words = mask.pruned().toLongArray();
        // Branch-free: a pruned weight's bits are and-ed with 0, a kept one's with all ones; a pruned weight is +0.0.
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            int base = w << 6;
            int end = Math.min(source.length, base + 64);
            for (int i = base; i < end; i++) {
                int keep = (int) ((word >>> (i - base)) & 1) - 1;
                values[i] = Float.intBitsToFloat(Float.floatToRawIntBits(source[i]) & keep);
            }
        }
        // Weights past the mask's last set bit are all kept.
        int copied = Math.min(source.length, words.length << 6);
        System.arraycopy(source, copied, values, copied, source.length - copied);
        return new Recovered(values, null, 0);
    }
}
