package io.prunestream.pruner;

import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A model store with a real TPP checkpoint (ResNet-8, width 4, ratio 0.5, trained by the trainer's own code) and a
 * small CNN checkpoint, the generated dataset they were trained on as IDX files, and a pruner that also fine-tunes
 * (0 and 1 epochs) on it and trains bottleneck gates on batches of 4 (a quarter of the 320 training images: 20).
 */
public class StructuredModelResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "tpp-run";
    public static final String CHECKPOINT = "tpp-run-e003";
    public static final String CNN = "cnn-e001";

    /** Beside the checkpoint: what the trainer said of it, for the test (which may see another class loader). */
    public static final String FACTS = "tpp-facts.properties";

    @Override
    public Map<String, String> start() {
        try {
            Path store = Files.createTempDirectory("pruner-structured-store-");
            TrainedModels.TppCheckpoint tpp = TrainedModels.tppResNet(store.resolve("checkpoints").resolve(RUN)
                    .resolve(CHECKPOINT));
            Properties facts = new Properties();
            facts.setProperty("pixelMean", Float.toString(tpp.network().pixelMean()));
            facts.setProperty("pixelStd", Float.toString(tpp.network().pixelStd()));
            facts.setProperty("ratio", Double.toString(tpp.ratio()));
            facts.setProperty("removed", tpp.removed().stream().map(r -> Arrays.stream(r).mapToObj(
                    Integer::toString).collect(Collectors.joining(","))).collect(Collectors.joining(";")));
            try (Writer out = Files.newBufferedWriter(store.resolve(FACTS))) {
                facts.store(out, "the TPP checkpoint " + CHECKPOINT);
            }
            TrainedModels.smallCnn(store.resolve("checkpoints").resolve(RUN).resolve(CNN));
            Path data = store.resolve("data");
            SyntheticImages.writeIdx(data, 320, 100, 28);
            return Map.of("pruner.model-store", store.toString(), "pruner.datasets.synthetic.dir", data.toString(),
                    "pruner.datasets.broken.dir", store.resolve("no-such-folder").toString(),
                    "pruner.structured.fine-tune-epochs", "0,1",
                    "pruner.structured.fine-tune-batch-size", "32", "pruner.bottleneck.batch-size", "4",
                    "pruner.methods", "threshold,threshold+mean,filter-l1,tpp,bottleneck");
        } catch (Exception e) {
            throw new IllegalStateException("cannot train the test models: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary store is small and helps when a test fails.
    }
}
