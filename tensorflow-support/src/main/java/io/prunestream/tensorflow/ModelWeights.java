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

    /** The values of every float tensor, by key (shared, not copied): what a network is rebuilt from. */
    public Map<String, float[]> floatValues() {
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
