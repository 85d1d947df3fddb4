package io.prunestream.trainer;

import io.prunestream.datasets.SyntheticImages;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small learnable dataset ({@link SyntheticImages}) in the standard IDX files and an empty model store, both in a
 * temporary folder, configured for the trainer under test.
 */
public class SyntheticDatasetResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("trainer-test-");
            Path data = root.resolve("data");
            SyntheticImages.writeIdx(data, 640, 200, 28);
            return Map.of("trainer.dataset.dir", data.toString(), "trainer.dataset.name", "synthetic",
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
