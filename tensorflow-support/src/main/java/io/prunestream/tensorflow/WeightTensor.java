package io.prunestream.tensorflow;

/**
 * One tensor of a SavedModel's checkpoint. {@code values} holds the data, row-major, for {@code DT_FLOAT} tensors
 * and is null for any other type (those are carried over untouched by {@link SavedModelWriter}). The array is shared,
 * not copied: weights can be hundreds of megabytes.
 */
public record WeightTensor(String key, TensorSpec spec, float[] values) {

    public boolean isFloat() {
        return spec.isFloat();
    }
}
