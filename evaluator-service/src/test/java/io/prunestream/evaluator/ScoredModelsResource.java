package io.prunestream.evaluator;

import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A model store with one trained checkpoint, and the generated test split the evaluator scores on. */
public class ScoredModelsResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "eval-run";
    public static final String CHECKPOINT = "eval-run-e001";

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("evaluator-test-");
            Path store = root.resolve("models");
            TrainedModels.smallCnn(store.resolve("checkpoints").resolve(RUN).resolve(CHECKPOINT));
            SyntheticImages.writeIdx(root.resolve("data"), 320, 300, 28);
            return Map.of("evaluator.model-store", store.toString(), "evaluator.dataset.dir",
                    root.resolve("data").toString(), "evaluator.dataset.name", "synthetic",
                    "evaluator.batch-size", "64");
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the evaluator's test models: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary folder is small and helps when a test fails.
    }
}
