package io.prunestream.pruner;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pruner whose heap share for weights ({@code pruner.weights-heap-share}) is too small for any model, so every
 * checkpoint is pruned a kernel at a time, as a 1 GB model under a 512 MB heap is: the Keras CNN trained on generated
 * images, methods {@code threshold}, {@code threshold+mean} and {@code obs} at 50% and 90% with batch-norm
 * calibration asked for.
 */
public class LargeModelResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "large";
    public static final ForeignModel.Kind KIND = ForeignModel.Kind.KERAS_CNN;

    @Override
    public Map<String, String> start() {
        try {
            Path store = Files.createTempDirectory("pruner-large-store-");
            LabeledImages train = SyntheticImages.generate(320, 28, 1);
            ForeignModels.write(KIND, store.resolve("checkpoints").resolve(RUN).resolve(KIND.label()), train, 150, 7);
            Path data = store.resolve("data");
            SyntheticImages.writeIdx(data, 320, 100, 28);
            return Map.ofEntries(Map.entry("pruner.model-store", store.toString()),
                    Map.entry("pruner.datasets.synthetic.dir", data.toString()),
                    Map.entry("pruner.methods", "threshold,threshold+mean,obs"),
                    Map.entry("pruner.sparsities", "0.5,0.9"), Map.entry("pruner.calibration.images", "64"),
                    Map.entry("pruner.calibration.modes", "none,bn"),
                    Map.entry("pruner.weights-heap-share", "0.000001"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the test model: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary store is small and helps when a test fails.
    }
}
