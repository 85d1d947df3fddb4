package io.prunestream.evaluator;

import io.prunestream.datasets.ColourScenes;
import io.prunestream.datasets.DatasetWriters;
import io.prunestream.datasets.IdxFiles;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.data.TfRecordWriter;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Users' own data: a colour model (the small CNN trained on 32x32 colour scenes), the same test scenes in four formats
 * (PNG class folders, TFRecord, CIFAR binary, a stored .npz), a grey version of them, the scenes with an eleventh
 * declared class, and an early TF 2.x checkpoint with a variant written from it.
 */
public class ColourDataResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "colour";
    public static final String COLOUR_MODEL = "colour-cnn";
    public static final String EARLY = "early-tf2";
    public static final String EARLY_VARIANT = "early-tf2-zeroed";
    public static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(c -> "c" + c).toList();
    public static final List<String> FORMATS = List.of("png", "tfrecord", "cifar", "npz");

    @Override
    public Map<String, String> start() {
        try {
            Path root = TestRoot.get().resolve("colour");
            Path store = TestRoot.store();
            Path checkpoints = store.resolve("checkpoints").resolve(RUN);
            TrainedModels.colourCnn(checkpoints.resolve(COLOUR_MODEL));
            LabeledImages test = TrainedModels.COLOUR_TEST;
            DatasetWriters.imageFolders(root.resolve("png"), null, test, CLASSES, "png", 1f);
            TfRecordWriter.write(root.resolve("tfrecord"), "scenes", null, test, 2, true, "png");
            DatasetWriters.cifar10(root.resolve("cifar"), null, test, CLASSES);
            DatasetWriters.numpy(root.resolve("npz").resolve("scenes.npz"), null, test, false);
            IdxFiles.write(root.resolve("grey"), null, SyntheticImages.generate(200, 32, 2));
            LabeledImages train = SyntheticImages.generate(320, 28, 1);
            ForeignModel early = ForeignModels.write(ForeignModel.Kind.KERAS_CNN_BN, checkpoints.resolve(EARLY),
                    train, 100, 7, ForeignModels.Exporter.EARLY_TF2);
            Map<String, float[]> zeroed = new HashMap<>();
            early.kernels().forEach(k -> zeroed.put(k, new float[early.weights().get(k).length]));
            zeroed.remove(early.kernels().get(early.kernels().size() - 1));
            SavedModelWriter.write(SavedModelReader.read(early.directory()), store.resolve("variants").resolve(RUN)
                    .resolve(EARLY_VARIANT), zeroed);
            IdxFiles.write(root.resolve("digits"), null, SyntheticImages.generate(200, 28, 2));
            // The model store, fashion-mnist and the batch size are ScoredModelsResource's: one application serves both.
            Map<String, String> config = new HashMap<>(Map.of(
                    "evaluator.datasets.digits.dir", root.resolve("digits").toString(),
                    "evaluator.datasets.grey.dir", root.resolve("grey").toString(),
                    "evaluator.datasets.eleven.dir", root.resolve("npz").toString(),
                    "evaluator.datasets.eleven.classes", String.join(",", CLASSES) + ",c10"));
            for (String format : FORMATS) {
                config.put("evaluator.datasets.scenes-" + format + ".dir", root.resolve(format).toString());
            }
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the colour datasets: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary folder is small and helps when a test fails.
    }
}
