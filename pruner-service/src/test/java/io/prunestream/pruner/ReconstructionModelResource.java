package io.prunestream.pruner;

import io.prunestream.datasets.IdxFiles;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pruner that makes {@code threshold} and {@code obs} variants at 50% and 70%, as pruned and with batch norm
 * re-estimated on 256 images, {@code obs} per layer and globally: a store with the Keras CNN with batch norm and
 * the trainer's small CNN (no batch norm) trained on generated images, the dataset {@code synthetic} (both splits)
 * and {@code test-only} (its test split alone: nothing to calibrate on).
 */
public class ReconstructionModelResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "obs";
    public static final ForeignModel.Kind KIND = ForeignModel.Kind.KERAS_CNN_BN;
    public static final String SMALL_CNN = "small-cnn";

    @Override
    public Map<String, String> start() {
        try {
            Path store = Files.createTempDirectory("pruner-obs-store-");
            Path checkpoints = store.resolve("checkpoints").resolve(RUN);
            LabeledImages train = SyntheticImages.generate(320, 28, 1);
            ForeignModels.write(KIND, checkpoints.resolve(KIND.label()), train, 150, 7);
            TrainedModels.smallCnn(checkpoints.resolve(SMALL_CNN));
            Path data = store.resolve("data");
            SyntheticImages.writeIdx(data, 320, 100, 28);
            Path testOnly = Files.createDirectories(store.resolve("test-only"));
            LabeledImages test = SyntheticImages.generate(100, 28, 2);
            IdxFiles.write(testOnly, null, test);
            return Map.ofEntries(Map.entry("pruner.model-store", store.toString()),
                    Map.entry("pruner.datasets.synthetic.dir", data.toString()),
                    Map.entry("pruner.datasets.test-only.dir", testOnly.toString()),
                    Map.entry("pruner.methods", "threshold,obs"), Map.entry("pruner.sparsities", "0.5,0.7"),
                    Map.entry("pruner.calibration.images", "256"), Map.entry("pruner.calibration.modes", "none,bn"),
                    Map.entry("pruner.reconstruction.scopes", "layer,global"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the test models: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary store is small and helps when a test fails.
    }
}
