package io.prunestream.pruner;

import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model store holding one real checkpoint: the small CNN trained for one epoch on generated images, exported by
 * the trainer's own code to {@code checkpoints/test-run/test-run-e001}.
 */
public class TrainedModelResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "test-run";
    public static final String CHECKPOINT = "test-run-e001";

    @Override
    public Map<String, String> start() {
        try {
            Path store = Files.createTempDirectory("pruner-test-store-");
            Path model = store.resolve("checkpoints").resolve(RUN).resolve(CHECKPOINT);
            TrainedModels.smallCnn(model);
            return Map.of("pruner.model-store", store.toString(), "pruner.max-upload-bytes", "16000000");
        } catch (Exception e) {
            throw new IllegalStateException("cannot train the test model: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary store is small and helps when a test fails.
    }
}
