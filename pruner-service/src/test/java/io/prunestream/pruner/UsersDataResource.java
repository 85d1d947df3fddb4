package io.prunestream.pruner;

import io.prunestream.datasets.DatasetWriters;
import io.prunestream.datasets.IdxFiles;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Users' own data and exporters: a colour model and 32x32 colour scenes in a {@code .npz} ({@code scenes}); Keras 3's
 * {@code model.export} of a batch-norm CNN and 28x28 generated images ({@code digits}); the same images as class
 * folders whose training split holds one corrupt file ({@code broken-train}).
 */
public class UsersDataResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "users";
    public static final String COLOUR = "colour-cnn";
    public static final String KERAS3 = "keras3-export";
    public static final ForeignModel.Kind KIND = ForeignModel.Kind.KERAS_CNN_BN;
    public static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(c -> "c" + c).toList();

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("pruner-users-");
            Path store = root.resolve("models");
            Path checkpoints = store.resolve("checkpoints").resolve(RUN);
            TrainedModels.colourCnn(checkpoints.resolve(COLOUR));
            DatasetWriters.numpy(root.resolve("scenes").resolve("scenes.npz"), TrainedModels.COLOUR_TRAIN,
                    TrainedModels.COLOUR_TEST, true);
            LabeledImages train = SyntheticImages.generate(320, 28, 1);
            LabeledImages test = SyntheticImages.generate(100, 28, 2);
            ForeignModels.write(KIND, checkpoints.resolve(KERAS3), train, 100, 7, ForeignModels.Exporter.KERAS3_EXPORT);
            IdxFiles.write(root.resolve("digits"), train, test);
            Path broken = root.resolve("broken-train");
            DatasetWriters.imageFolders(broken, train.first(64), test, CLASSES, "png", 1f);
            // Every chunk before the pixels intact, so the folder opens, and the pixels (IDAT) cut off.
            Path cut = broken.resolve("train/c3/000013.png");
            byte[] png = Files.readAllBytes(cut);
            int pixels = new String(png, StandardCharsets.ISO_8859_1).indexOf("IDAT");
            Files.write(cut, Arrays.copyOf(png, pixels + 12));
            return Map.ofEntries(Map.entry("pruner.model-store", store.toString()),
                    Map.entry("pruner.datasets.fashion-mnist.dir", root.resolve("digits").toString()),
                    Map.entry("pruner.datasets.digits.dir", root.resolve("digits").toString()),
                    Map.entry("pruner.datasets.scenes.dir", root.resolve("scenes").toString()),
                    Map.entry("pruner.datasets.broken-train.dir", broken.toString()),
                    Map.entry("pruner.methods", "threshold,obs"), Map.entry("pruner.sparsities", "0.5"),
                    Map.entry("pruner.calibration.modes", "none,bn"), Map.entry("pruner.calibration.images", "64"),
                    Map.entry("pruner.reconstruction.images", "64"), Map.entry("pruner.max-upload-bytes", "16000000"),
                    Map.entry("pruner.max-dataset-bytes", "32M"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the users' data: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary folder is small and helps when a test fails.
    }
}
