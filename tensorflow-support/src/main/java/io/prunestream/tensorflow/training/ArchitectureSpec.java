package io.prunestream.tensorflow.training;

import java.util.List;
import java.util.Set;

/**
 * Which network to train. {@code small-cnn}: conv5x5x32 - ReLU - maxpool - conv5x5x64 - ReLU - maxpool - dense 256
 * - ReLU - classifier. {@code resnet}: the CIFAR ResNet family, depth 6n+2 (20, 32, 44, 56) with n basic blocks in
 * each of 3 stages of width, 2 x width and 4 x width filters, batch norm throughout. {@code inputShape} is
 * {@code [height, width, channels]}: 28x28x1 for (Fashion-)MNIST, 32x32x3 for CIFAR. Null fields take the defaults.
 */
public record ArchitectureSpec(String name, Integer depth, Integer width, List<Integer> inputShape, Integer classes) {

    public static final String SMALL_CNN = "small-cnn";
    public static final String RESNET = "resnet";

    public ArchitectureSpec {
        name = Specs.oneOf(Specs.orDefault(name, SMALL_CNN), Set.of(SMALL_CNN, RESNET), "architecture.name");
        depth = Specs.orDefault(depth, 20);
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("architecture.depth: " + depth + " is not 6n+2 with n >= 1 (20, 32,"
                    + " 44, 56 ...)");
        }
        width = Specs.range(Specs.orDefault(width, 16), 1, 1024, "architecture.width");
        inputShape = List.copyOf(Specs.orDefault(inputShape, List.of(28, 28, 1)));
        if (inputShape.size() != 3) {
            throw new IllegalArgumentException("architecture.inputShape: " + inputShape
                    + " is not [height, width, channels]");
        }
        for (int i = 0; i < 3; i++) {
            Specs.range(inputShape.get(i), 1, 4096, "architecture.inputShape[" + i + "]");
        }
        classes = Specs.range(Specs.orDefault(classes, 10), 2, 100_000, "architecture.classes");
    }

    public static ArchitectureSpec defaults() {
        return new ArchitectureSpec(null, null, null, null, null);
    }

    /** ResNet basic blocks per stage. */
    int blocksPerStage() {
        return (depth - 2) / 6;
    }

    /** The name events carry: {@code small-cnn} or {@code resnet20}. */
    public String label() {
        return RESNET.equals(name) ? "resnet" + depth + (width == 16 ? "" : "-w" + width) : name;
    }
}
