package io.prunestream.tensorflow;

import java.util.Map;

/** One SignatureDef of a SavedModel: its inputs and outputs by name. */
public record SignatureInfo(String key, Map<String, TensorSpec> inputs, Map<String, TensorSpec> outputs) {

    public SignatureInfo {
        inputs = Map.copyOf(inputs);
        outputs = Map.copyOf(outputs);
    }
}
