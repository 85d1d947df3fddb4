package io.prunestream.datasets;

/**
 * Where a model's input keeps the channel axis: last ({@code NHWC}, TensorFlow's and Keras' default) or first
 * ({@code NCHW}, as models exported from PyTorch take it). Decides between the two when an input shape fits both
 * (as {@code [-1, -1, -1, -1]} does), and the order of a flattened input's values.
 */
public enum ImageLayout {
    NHWC,
    NCHW;

    /** The layout named {@code name} (any case); the error names it and the two there are. */
    public static ImageLayout of(String name) {
        for (ImageLayout layout : values()) {
            if (layout.name().equalsIgnoreCase(name)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("layout: '" + name + "' is not NHWC or NCHW");
    }
}
