package io.prunestream.tensorflow;

/**
 * One tensor of a SavedModel's checkpoint. {@link #values} holds the data, row-major, for {@code DT_FLOAT} tensors
 * and is null for any other type (those are carried over untouched by {@link SavedModelWriter}). The array is shared,
 * not copied: weights can be hundreds of megabytes. A tensor of a model too large to hold
 * ({@link SavedModelReader#open}) reads its values from the checkpoint each time they are asked for, and keeps
 * nothing.
 */
public final class WeightTensor {

    /** Reads one float tensor's values from its checkpoint. */
    @FunctionalInterface
    interface Loader {
        float[] load(String key) throws TensorFlowException;
    }

    private final String key;
    private final TensorSpec spec;
    private final float[] values;
    private final Loader loader;

    /** A tensor whose values are in memory (null for a non-float one). */
    public WeightTensor(String key, TensorSpec spec, float[] values) {
        this(key, spec, values, null);
    }

    private WeightTensor(String key, TensorSpec spec, float[] values, Loader loader) {
        this.key = key;
        this.spec = spec;
        this.values = values;
        this.loader = loader;
    }

    /** A float tensor whose values stay in the checkpoint until asked for. */
    static WeightTensor onDisk(String key, TensorSpec spec, Loader loader) {
        return new WeightTensor(key, spec, null, loader);
    }

    public String key() {
        return key;
    }

    public TensorSpec spec() {
        return spec;
    }

    public boolean isFloat() {
        return spec.isFloat();
    }

    /** Whether {@link #values} is in memory, or read from the checkpoint on every call. */
    public boolean inMemory() {
        return loader == null;
    }

    /**
     * The values: in memory, or read now from the checkpoint.
     *
     * @throws IllegalStateException if the checkpoint can no longer be read (it was read once when the model was
     *         opened)
     */
    public float[] values() {
        if (loader == null || !isFloat()) {
            return values;
        }
        try {
            return loader.load(key);
        } catch (TensorFlowException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "WeightTensor[" + key + ", " + spec + (inMemory() ? "" : ", on disk") + "]";
    }
}
