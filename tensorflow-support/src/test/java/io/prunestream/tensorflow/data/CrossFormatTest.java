package io.prunestream.tensorflow.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.datasets.Dataset;
import io.prunestream.datasets.DatasetFormats;
import io.prunestream.datasets.DatasetSpec;
import io.prunestream.datasets.DatasetWriters;
import io.prunestream.datasets.IdxFiles;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.ModelInput;
import io.prunestream.events.Preprocessing;
import io.prunestream.tensorflow.Logits;
import io.prunestream.tensorflow.SavedModelRunner;
import io.prunestream.tensorflow.testing.TrainedModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same colour test images written in every format, each with its usual writer: every lossless one gives the same
 * input tensor, value for value, and so the same top-1 for the same model; JPEG (lossy) gives nearly the same.
 */
class CrossFormatTest {

    private static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(c -> "c" + c).toList();

    @TempDir
    static Path temp;
    private static Path model;
    private static final Map<String, Path> FOLDERS = new LinkedHashMap<>();

    @BeforeAll
    static void write() throws Exception {
        model = TrainedModels.colourCnn(temp.resolve("model"));
        var test = TrainedModels.COLOUR_TEST;
        DatasetWriters.imageFolders(folder("png"), null, test, CLASSES, "png", 1f);
        DatasetWriters.numpy(folder("npz").resolve("scenes.npz"), null, test, false);
        DatasetWriters.numpy(folder("npz-compressed").resolve("scenes.npz"), null, test, true);
        DatasetWriters.cifar10(folder("cifar"), null, test, CLASSES);
        IdxFiles.write(folder("idx"), null, test);
        TfRecordWriter.write(folder("tfrecord"), "scenes", null, test, 2, false, "png");
        TfRecordWriter.write(folder("tfrecord-gzip"), "scenes", null, test, 2, true, "png");
        DatasetWriters.imageFolders(temp.resolve("jpeg"), null, test, CLASSES, "jpg", 0.95f);
    }

    private static Path folder(String name) {
        Path folder = temp.resolve(name);
        FOLDERS.put(name, folder);
        return folder;
    }

    @Test
    void everyLosslessFormatGivesTheSameInputAndTheSameTopOne() throws Exception {
        ModelInput input = ModelInput.resolve(List.of(-1L, 32L, 32L, 3L), TrainedModels.COLOUR_TEST.shape(),
                Preprocessing.DEFAULT);
        float[] expected = input.values(TrainedModels.COLOUR_TEST, 0, TrainedModels.COLOUR_TEST.count());
        double top1 = top1(expected, TrainedModels.COLOUR_TEST::label);
        assertThat(top1).as("the model learned the scenes").isGreaterThan(0.5);
        for (Map.Entry<String, Path> format : FOLDERS.entrySet()) {
            ImageSplit split = DatasetFormats.open(DatasetSpec.of("scenes", format.getValue())).test();
            float[] values = inOrder(input, split);
            assertThat(values).as(format.getKey()).isEqualTo(expected);
            assertThat(top1(values, TrainedModels.COLOUR_TEST::label)).as(format.getKey()).isEqualTo(top1);
        }
        Dataset jpeg = DatasetFormats.open(DatasetSpec.of("jpeg", temp.resolve("jpeg")));
        double jpegTop1 = top1(inOrder(input, jpeg.test()), TrainedModels.COLOUR_TEST::label);
        assertThat(jpegTop1).as("JPEG at quality 0.95").isCloseTo(top1, org.assertj.core.data.Offset.offset(0.03));
    }

    /** The split's input values in the order the images were written (class folders list them by class). */
    private static float[] inOrder(ModelInput input, ImageSplit split) throws Exception {
        int per = input.valuesPerImage();
        float[] read = input.values(split, 0, split.size());
        float[] ordered = new float[read.length];
        for (int i = 0; i < split.size(); i++) {
            String where = split.locate(i);
            int written = where.matches(".*/\\d+\\.(png|jpg)") ? Integer.parseInt(where.substring(
                    where.lastIndexOf('/') + 1, where.lastIndexOf('.'))) : i;
            System.arraycopy(read, i * per, ordered, written * per, per);
        }
        return ordered;
    }

    private static double top1(float[] values, java.util.function.IntUnaryOperator label) throws Exception {
        int n = TrainedModels.COLOUR_TEST.count();
        try (SavedModelRunner runner = SavedModelRunner.open(model, "serving_default", "image", "logits")) {
            float[] logits = runner.run(values, new long[] {n, 32, 32, 3});
            int correct = 0;
            for (int i = 0; i < n; i++) {
                correct += Logits.rank(logits, i * 10, 10, label.applyAsInt(i)) == 0 ? 1 : 0;
            }
            return correct / (double) n;
        }
    }
}
