package io.prunestream.tensorflow.training;

import io.prunestream.tensorflow.model.Residual;
import java.util.List;

/**
 * Everything that fixes a network's serving graph: the architecture, the classifier (cosine for hyperspherical
 * learning), the pixel statistics it standardises with, and, after structured pruning, the width of each residual
 * block's inner conv ({@code innerWidths}) and of each of the three stages ({@code stageWidths}: the channels the
 * stem, every block's output and the shortcuts share); each list is empty for the full widths.
 */
public record NetworkSpec(ArchitectureSpec architecture, boolean cosine, float pixelMean, float pixelStd,
        List<Integer> innerWidths, List<Integer> stageWidths) {

    public NetworkSpec {
        innerWidths = List.copyOf(innerWidths);
        stageWidths = List.copyOf(stageWidths);
        if (!(pixelStd > 0) || !Float.isFinite(pixelMean)) {
            throw new IllegalArgumentException("pixel statistics mean " + pixelMean + ", std " + pixelStd
                    + ": the std must be positive and both finite");
        }
        boolean resnet = ArchitectureSpec.RESNET.equals(architecture.name());
        if ((!innerWidths.isEmpty() || !stageWidths.isEmpty()) && !resnet) {
            throw new IllegalArgumentException("architecture " + architecture.label() + " has no residual blocks"
                    + " whose widths could change");
        }
        int blocks = resnet ? architecture.blocksPerStage() : 0;
        if (!innerWidths.isEmpty()) {
            requireWidths("inner widths", innerWidths, 3 * blocks,
                    i -> Residual.fullWidth(architecture.width(), i / blocks));
        }
        if (!stageWidths.isEmpty()) {
            requireWidths("stage widths", stageWidths, 3, s -> Residual.fullWidth(architecture.width(), s));
        }
    }

    /** The full network, or one whose blocks' inner convs are narrower. */
    public NetworkSpec(ArchitectureSpec architecture, boolean cosine, float pixelMean, float pixelStd,
            List<Integer> innerWidths) {
        this(architecture, cosine, pixelMean, pixelStd, innerWidths, List.of());
    }

    /** The same network with other inner widths. */
    public NetworkSpec withInnerWidths(List<Integer> widths) {
        return new NetworkSpec(architecture, cosine, pixelMean, pixelStd, widths, stageWidths);
    }

    /** The same network with other inner and stage widths. */
    public NetworkSpec withWidths(List<Integer> inner, List<Integer> stages) {
        return new NetworkSpec(architecture, cosine, pixelMean, pixelStd, inner, stages);
    }

    /** The filters of stage {@code stage} (0-based): its width now, or the full one. */
    public int stageWidth(int stage) {
        return stageWidths.isEmpty() ? Residual.fullWidth(architecture.width(), stage) : stageWidths.get(stage);
    }

    private void requireWidths(String what, List<Integer> widths, int count,
            java.util.function.IntUnaryOperator full) {
        if (widths.size() != count) {
            throw new IllegalArgumentException(what + " " + widths + ": " + architecture.label() + " needs "
                    + count);
        }
        for (int i = 0; i < count; i++) {
            int limit = full.applyAsInt(i);
            if (widths.get(i) == null || widths.get(i) < 1 || widths.get(i) > limit) {
                throw new IllegalArgumentException(what + " " + widths + ": entry " + i + " is outside 1.."
                        + limit);
            }
        }
    }
}
