package io.prunestream.tensorflow;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every tensor of one SavedModel's checkpoint, by checkpoint key, in the model's own order. */
public final class ModelWeights {

    private final SavedModelInfo model;
    private final Map<String, WeightTensor> tensors;

    ModelWeights(SavedModelInfo model, Map<String, WeightTensor> tensors) {
        this.model = model;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public SavedModelInfo model() {
        return model;
    }

    public Path directory() {
        return model.directory();
    }

    public Collection<WeightTensor> tensors() {
        return tensors.values();
    }

    public WeightTensor get(String key) throws TensorFlowException {
        WeightTensor tensor = tensors.get(key);
        if (tensor == null) {
            throw new TensorFlowException("SavedModel " + directory() + " has no variable '" + key + "'");
        }
        return tensor;
    }

    /** Whether every float tensor's values are in memory (see {@link SavedModelReader#open}). */
    public boolean inMemory() {
        return tensors.values().stream().allMatch(WeightTensor::inMemory);
    }

    /** The bytes of every float tensor's values together. */
    public long floatBytes() {
        return tensors.values().stream().filter(WeightTensor::isFloat).mapToLong(t -> 4 * t.spec().size()).sum();
    }

    /**
     * The values of every float tensor, by key (shared, not copied): what a network is rebuilt from.
     *
     * @throws IllegalStateException for a model whose weights were left on disk: they would not fit
     */
    public Map<String, float[]> floatValues() {
        if (!inMemory()) {
            throw new IllegalStateException("the weights of SavedModel " + directory() + " (" + floatBytes()
                    + " bytes) were left on disk, too large to hold together");
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (WeightTensor tensor : tensors.values()) {
            if (tensor.isFloat()) {
                values.put(tensor.key(), tensor.values());
            }
        }
        return values;
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }
}
