package io.prunestream.trainer;

import io.prunestream.datasets.ColourScenes;
import io.prunestream.datasets.DatasetWriters;
import io.prunestream.datasets.SyntheticImages;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small learnable dataset ({@link SyntheticImages}) in the standard IDX files ({@code synthetic}, the default), the
 * same images as 32x32 colour scenes in a {@code .npz} ({@code scenes}), and an empty model store, all in a temporary
 * folder, configured for the trainer under test.
 */
public class SyntheticDatasetResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("trainer-test-");
            Path data = root.resolve("data");
            SyntheticImages.writeIdx(data, 640, 200, 28);
            // The same images as 32x32 colour scenes in a keras.datasets archive: a colour dataset to train on.
            DatasetWriters.numpy(root.resolve("scenes").resolve("scenes.npz"), ColourScenes.of(
                    SyntheticImages.generate(640, 28, 1), 32, 3), ColourScenes.of(SyntheticImages.generate(200, 28, 2),
                    32, 4), true);
            return Map.of("trainer.datasets.synthetic.dir", data.toString(), "trainer.default-dataset", "synthetic",
                    "trainer.datasets.scenes.dir", root.resolve("scenes").toString(),
                    "trainer.model-store", root.resolve("models").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The temporary folder is small and helps when a test fails.
    }
}
