package io.prunestream.events;

import java.util.List;
import java.util.Set;

/**
 * What a checkpoint's network is, for methods that rebuild it physically smaller (structured pruning): the family
 * ({@code small-cnn} or {@code resnet}), its depth and width (ResNets), the input shape {@code [height, width,
 * channels]}, the classes, the classifier ({@code cosine} for hyperspherical learning, {@code dense} otherwise) and
 * the pixel mean and standard deviation the model standardises its input with. Null on a checkpoint the trainer did not
 * build: such a model can be pruned by magnitude, not by removing filters.
 */
public record Network(String family, Integer depth, Integer width, List<Integer> inputShape, int classes,
        String classifier, double pixelMean, double pixelStd) {

    public static final String SMALL_CNN = "small-cnn";
    public static final String RESNET = "resnet";
    public static final String COSINE = "cosine";
    public static final String DENSE = "dense";

    public Network {
        if (!Set.of(SMALL_CNN, RESNET).contains(family)) {
            throw new IllegalArgumentException("network.family: '" + family + "' is not one of [resnet, small-cnn]");
        }
        if (RESNET.equals(family)) {
            if (depth == null || depth < 8 || (depth - 2) % 6 != 0) {
                throw new IllegalArgumentException("network.depth: " + depth + " is not 6n+2 with n >= 1");
            }
            if (width == null || width < 1) {
                throw new IllegalArgumentException("network.width: " + width + " must be at least 1");
            }
        }
        Require.present(inputShape, "network.inputShape");
        if (inputShape.size() != 3 || inputShape.stream().anyMatch(d -> d == null || d < 1)) {
            throw new IllegalArgumentException("network.inputShape: " + inputShape
                    + " is not [height, width, channels] of positive sizes");
        }
        inputShape = List.copyOf(inputShape);
        Require.atLeast(classes, 2, "network.classes");
        if (!Set.of(COSINE, DENSE).contains(classifier)) {
            throw new IllegalArgumentException("network.classifier: '" + classifier
                    + "' is not one of [cosine, dense]");
        }
        if (!Double.isFinite(pixelMean) || !(pixelStd > 0) || !Double.isFinite(pixelStd)) {
            throw new IllegalArgumentException("network.pixelMean " + pixelMean + ", pixelStd " + pixelStd
                    + ": both must be finite and the std positive");
        }
    }
}
