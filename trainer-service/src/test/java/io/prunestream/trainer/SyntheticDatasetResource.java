package io.prunestream.trainer;

import io.prunestream.datasets.IdxFiles;
import io.prunestream.datasets.Split;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A small learnable dataset in the standard IDX files (class c is a bright square at a position of its own, on
 * noise) and an empty model store, both in a temporary folder, configured for the trainer under test.
 */
public class SyntheticDatasetResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("trainer-test-");
            Path data = root.resolve("data");
            write(data, Split.TRAIN, 640, 1);
            write(data, Split.TEST, 200, 2);
            return Map.of("trainer.dataset.dir", data.toString(), "trainer.dataset.name", "synthetic",
                    "trainer.model-store", root.resolve("models").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path folder, Split split, int count, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 784];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            int top = 2 + (label / 5) * 14;
            int left = 2 + (label % 5) * 4;
            for (int p = 0; p < 784; p++) {
                boolean inSquare = p / 28 >= top && p / 28 < top + 6 && p % 28 >= left && p % 28 < left + 6;
                pixels[i * 784 + p] = (byte) ((inSquare ? 180 : 0) + random.nextInt(60));
            }
        }
        IdxFiles.writeImages(folder.resolve(split.imagesFileName()), 28, 28, pixels);
        IdxFiles.writeLabels(folder.resolve(split.labelsFileName()), labels);
    }

    @Override
    public void stop() {
        // The temporary folder is small and helps when a test fails.
    }
}
