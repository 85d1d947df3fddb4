package io.prunestream.events;

import java.util.List;

/**
 * The SavedModel signature a consumer calls: its key, the input's name and shape (-1 for a free dimension), and
 * the output names. The trainer's models have input {@code image} and outputs {@code logits} and
 * {@code probabilities}.
 */
public record ServingSignature(String key, String inputName, List<Long> inputShape, List<String> outputNames) {

    public static final String DEFAULT_KEY = "serving_default";

    public ServingSignature {
        Require.text(key, "signature.key");
        Require.text(inputName, "signature.inputName");
        inputShape = List.copyOf(Require.present(inputShape, "signature.inputShape"));
        if (inputShape.isEmpty()) {
            throw new IllegalArgumentException("signature.inputShape: must not be empty");
        }
        for (int i = 0; i < inputShape.size(); i++) {
            Require.atLeast(inputShape.get(i), -1, "signature.inputShape[" + i + "]");
        }
        outputNames = List.copyOf(Require.present(outputNames, "signature.outputNames"));
        if (outputNames.isEmpty()) {
            throw new IllegalArgumentException("signature.outputNames: must not be empty");
        }
        outputNames.forEach(name -> Require.text(name, "signature.outputNames[]"));
    }
}
