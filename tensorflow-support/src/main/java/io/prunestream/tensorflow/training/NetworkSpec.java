package io.prunestream.tensorflow.training;

import java.util.List;

/**
 * Everything that fixes a network's serving graph: the architecture, the classifier (cosine for hyperspherical
 * learning), the pixel statistics it standardises with, and, after structured pruning, the width of each residual
 * block's inner conv ({@code innerWidths}; empty for the full network).
 */
public record NetworkSpec(ArchitectureSpec architecture, boolean cosine, float pixelMean, float pixelStd,
        List<Integer> innerWidths) {

    public NetworkSpec {
        innerWidths = List.copyOf(innerWidths);
        if (!(pixelStd > 0) || !Float.isFinite(pixelMean)) {
            throw new IllegalArgumentException("pixel statistics mean " + pixelMean + ", std " + pixelStd
                    + ": the std must be positive and both finite");
        }
        if (!innerWidths.isEmpty() && !ArchitectureSpec.RESNET.equals(architecture.name())) {
            throw new IllegalArgumentException("architecture " + architecture.label() + " has no residual blocks"
                    + " whose inner width could change");
        }
    }

    /** The same network with other inner widths. */
    public NetworkSpec withInnerWidths(List<Integer> widths) {
        return new NetworkSpec(architecture, cosine, pixelMean, pixelStd, widths);
    }
}
