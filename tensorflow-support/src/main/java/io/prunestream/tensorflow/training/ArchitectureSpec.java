package io.prunestream.tensorflow.training;

import java.util.List;
import java.util.Set;

/**
 * Which network to train. {@code small-cnn}: conv5x5x32 - ReLU - maxpool - conv5x5x64 - ReLU - maxpool - dense 256
 * - ReLU - classifier. {@code resnet}: the CIFAR ResNet family, depth 6n+2 (20, 32, 44, 56) with n basic blocks in
 * each of 3 stages of width, 2 x width and 4 x width filters, batch norm throughout. {@code inputShape} is
 * {@code [height, width, channels]}: 28x28x1 for (Fashion-)MNIST, 32x32x3 for CIFAR. Null fields take the defaults;
 * {@code inputShape} and {@code classes} left out are taken from the dataset trained on ({@link #fitted}), and read as
 * 28x28x1 and 10 until then.
 */
public record ArchitectureSpec(String name, Integer depth, Integer width, List<Integer> inputShape, Integer classes) {

    public static final String SMALL_CNN = "small-cnn";
    public static final String RESNET = "resnet";
    public static final List<Integer> DEFAULT_INPUT = List.of(28, 28, 1);
    public static final int DEFAULT_CLASSES = 10;

    public ArchitectureSpec {
        name = Specs.oneOf(Specs.orDefault(name, SMALL_CNN), Set.of(SMALL_CNN, RESNET), "architecture.name");
        depth = Specs.orDefault(depth, 20);
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("architecture.depth: " + depth + " is not 6n+2 with n >= 1 (20, 32,"
                    + " 44, 56 ...)");
        }
        width = Specs.range(Specs.orDefault(width, 16), 1, 1024, "architecture.width");
        if (inputShape != null) {
            inputShape = List.copyOf(inputShape);
            if (inputShape.size() != 3) {
                throw new IllegalArgumentException("architecture.inputShape: " + inputShape
                        + " is not [height, width, channels]");
            }
            for (int i = 0; i < 3; i++) {
                Specs.range(inputShape.get(i), 1, 4096, "architecture.inputShape[" + i + "]");
            }
        }
        if (classes != null) {
            Specs.range(classes, 2, 100_000, "architecture.classes");
        }
    }

    /** {@code [height, width, channels]}: as given, or the dataset's once {@link #fitted}, else 28x28x1. */
    @Override
    public List<Integer> inputShape() {
        return inputShape == null ? DEFAULT_INPUT : inputShape;
    }

    /** The classes: as given, or the dataset's once {@link #fitted}, else 10. */
    @Override
    public Integer classes() {
        return classes == null ? Integer.valueOf(DEFAULT_CLASSES) : classes;
    }

    /**
     * This architecture for a dataset of {@code [height, width, channels]} images in {@code dataClasses} classes: the
     * input shape and class count it left out taken from the dataset; one it gave that the dataset contradicts is an
     * error naming both.
     */
    public ArchitectureSpec fitted(List<Integer> dataShape, int dataClasses, String dataset) {
        if (inputShape != null && !inputShape.equals(dataShape)) {
            throw new IllegalArgumentException("architecture.inputShape: " + inputShape + " but dataset '" + dataset
                    + "' has images of " + dataShape + " (leave it out to take the dataset's)");
        }
        if (classes != null && classes != dataClasses) {
            throw new IllegalArgumentException("architecture.classes: " + classes + " but dataset '" + dataset
                    + "' has " + dataClasses + " classes (leave it out to take the dataset's)");
        }
        return new ArchitectureSpec(name, depth, width, dataShape, dataClasses);
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
