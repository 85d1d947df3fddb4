package io.prunestream.pruning.structured;

/**
 * What one layer costs: its parameters and its multiply-adds for one input image. Every method's FLOPs are counted
 * with this, so that their numbers compare: a convolution does k·k·in multiply-adds per output value (its bias, batch
 * norm and activations are not counted, as in the papers' tables); a dense layer in·out.
 */
public record LayerCost(String name, long parameters, long multiplyAdds) {

    public LayerCost {
        if (parameters < 0 || multiplyAdds < 0) {
            throw new IllegalArgumentException("layer " + name + ": negative cost (" + parameters + " parameters, "
                    + multiplyAdds + " multiply-adds)");
        }
    }

    /**
     * A k x k convolution with SAME padding.
     *
     * @param inputHeight the height of its input, before the stride
     */
    public static LayerCost conv(String name, int size, long in, long out, int stride, int inputHeight,
            int inputWidth, boolean bias) {
        long outHeight = (inputHeight + stride - 1) / stride;
        long outWidth = (inputWidth + stride - 1) / stride;
        long weights = (long) size * size * in * out;
        return new LayerCost(name, weights + (bias ? out : 0), outHeight * outWidth * weights);
    }

    public static LayerCost dense(String name, long in, long out, boolean bias) {
        return new LayerCost(name, in * out + (bias ? out : 0), in * out);
    }

    /** Batch norm: 2 trained parameters per channel (gamma, beta); its statistics are not parameters. */
    public static LayerCost batchNorm(String name, long channels) {
        return new LayerCost(name, 2 * channels, 0);
    }

    public LayerCost plus(LayerCost other) {
        return new LayerCost(name, parameters + other.parameters, multiplyAdds + other.multiplyAdds);
    }
}
