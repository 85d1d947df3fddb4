package io.prunestream.events;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a checkpoint was trained: a method name ({@code plain}, {@code hyperspherical+l1}, ... or {@code external}
 * for a model the trainer did not build), its hyperparameters (numbers, strings or booleans) and its seed.
 */
public record TrainingMethod(String method, long seed, Map<String, Object> hyperparameters) {

    public TrainingMethod {
        Require.text(method, "training.method");
        Require.present(hyperparameters, "training.hyperparameters");
        hyperparameters.forEach((name, value) -> {
            if (!(value instanceof Number || value instanceof String || value instanceof Boolean)) {
                throw new IllegalArgumentException("training.hyperparameters." + name + ": " + value
                        + " is not a number, string or boolean");
            }
        });
        hyperparameters = Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
    }
}
