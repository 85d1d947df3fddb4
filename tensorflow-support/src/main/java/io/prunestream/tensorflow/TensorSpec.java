package io.prunestream.tensorflow;

import java.util.List;

/** A tensor's data type (TensorFlow's name, such as {@code DT_FLOAT}) and shape (-1 for an unknown dimension). */
public record TensorSpec(String dtype, List<Long> shape) {

    public static final String FLOAT = "DT_FLOAT";

    public TensorSpec {
        shape = List.copyOf(shape);
    }

    public boolean isFloat() {
        return FLOAT.equals(dtype);
    }

    /** Number of elements, or -1 if a dimension is unknown. */
    public long size() {
        long size = 1;
        for (long dim : shape) {
            if (dim < 0) {
                return -1;
            }
            size = Math.multiplyExact(size, dim);
        }
        return size;
    }
}
