package io.prunestream.evaluator;

import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.structured.FilterRemoval;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A model store with one trained checkpoint, a TPP-trained ResNet and its physically smaller variant (the chosen
 * filters removed), and the generated test split the evaluator scores on.
 */
public class ScoredModelsResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "eval-run";
    public static final String CHECKPOINT = "eval-run-e001";
    public static final String RESNET = "eval-run-resnet-e003";
    public static final String SMALLER = "eval-run-resnet-e003-tpp-r5000";

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("evaluator-test-");
            Path store = root.resolve("models");
            TrainedModels.smallCnn(store.resolve("checkpoints").resolve(RUN).resolve(CHECKPOINT));
            TrainedModels.TppCheckpoint tpp = TrainedModels.tppResNet(store.resolve("checkpoints").resolve(RUN)
                    .resolve(RESNET));
            List<int[]> kept = new ArrayList<>();
            List<FilterGroup> groups = FilterRemoval.groups(tpp.network());
            for (int g = 0; g < groups.size(); g++) {
                int[] removed = tpp.removed().get(g);
                kept.add(IntStream.range(0, groups.get(g).filters())
                        .filter(i -> Arrays.stream(removed).noneMatch(r -> r == i)).toArray());
            }
            FilterRemoval.remove(SavedModelReader.read(tpp.model()), tpp.network(), kept,
                    store.resolve("variants").resolve(RUN).resolve(SMALLER));
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
