package io.prunestream.pruner;

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
 * A model store holding one real checkpoint: the small CNN trained for one epoch on generated images, exported by
 * the trainer's own code to {@code checkpoints/test-run/test-run-e001}; a model of each foreign kind, as Keras and
 * other exporters write them, under {@code checkpoints/foreign/}; and the generated images as the datasets
 * {@code synthetic} and {@code fashion-mnist}.
 */
public class TrainedModelResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "test-run";
    public static final String CHECKPOINT = "test-run-e001";
    /** The run holding a model of each foreign kind, one checkpoint per {@link ForeignModel.Kind#label()}. */
    public static final String FOREIGN = "foreign";
    /** A TF2 model with nothing to prune (y = a * x + b). */
    public static final String NO_KERNELS = "no-kernels";

    @Override
    public Map<String, String> start() {
        try {
            Path store = Files.createTempDirectory("pruner-test-store-");
            Path model = store.resolve("checkpoints").resolve(RUN).resolve(CHECKPOINT);
            TrainedModels.smallCnn(model);
            Path data = store.resolve("data");
            SyntheticImages.writeIdx(data, 320, 100, 28);
            LabeledImages train = SyntheticImages.generate(320, 28, 1);
            for (ForeignModel.Kind kind : ForeignModel.Kind.fixtures()) {
                ForeignModels.write(kind, store.resolve("checkpoints").resolve(FOREIGN).resolve(kind.label()), train,
                        150, 7);
            }
            ForeignModels.writeWithoutKernels(store.resolve("checkpoints").resolve(FOREIGN).resolve(NO_KERNELS));
            return Map.of("pruner.model-store", store.toString(), "pruner.max-upload-bytes", "16000000",
                    "pruner.datasets.synthetic.dir", data.toString(), "pruner.datasets.fashion-mnist.dir",
                    data.toString(), "pruner.calibration.images", "256", "pruner.calibration.modes", "none,bn",
                    // The magnitude and structured methods, whose rules these tests check weight by weight (obs:
                    // ReconstructionFlowTest).
                    "pruner.methods", "threshold,threshold+mean,filter-l1,tpp,bottleneck");
        } catch (Exception e) {
            throw new IllegalStateException("cannot train the test model: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary store is small and helps when a test fails.
    }
}
