package io.prunestream.bench;

import io.prunestream.datasets.ColourScenes;
import io.prunestream.datasets.DatasetWriters;
import io.prunestream.datasets.Image;
import io.prunestream.datasets.ImageEncoder;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.Resampling;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.Resize;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.data.TfRecordWriter;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.MethodSpec;
import io.prunestream.tensorflow.training.OptimizerSpec;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The data benchmark's datasets and models ({@code bench/data.sh}), made from the official Fashion-MNIST:
 * <ul>
 * <li>{@code 32/}: the 10,000 test images as 32x32 colour scenes ({@link ColourScenes}) in every format — JPEG and
 * PNG class folders, TFRecord shards of JPEG bytes, a {@code .npz}, CIFAR binary batches — and the small CNN trained
 * on 20,000 training scenes for one epoch;</li>
 * <li>{@code 224/}: 5,000 test scenes enlarged to photos of 320..512 x 240..384 pixels (bilinear, with grain) as JPEG
 * class folders and TFRecord shards, fed with {@code resize 256, centerCrop 224}; the same images already resized and
 * cropped in a {@code .npz} (the decoded array, the in-memory reference); and a ResNet-8 of width 16 on 224x224x3
 * (about 0.6 GFLOPs per image, as mobile ImageNet classifiers), trained for a few batches.</li>
 * </ul>
 * {@code DataBenchSets <fashion-mnist folder> <out folder>}.
 */
public final class DataBenchSets {

    static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(c -> String.format(Locale.ROOT, "c%d", c))
            .toList();
    /** How the 224 px JPEGs are fed, as torchvision's evaluation transform. */
    static final Preprocessing PHOTOS = new Preprocessing(null, null, null, null, null, null, new Resize(256),
            List.of(224, 224), null);

    private DataBenchSets() {
    }

    public static void main(String[] args) throws Exception {
        io.prunestream.datasets.Splits fashion = BenchIo.splits(Path.of(args[0]));
        Path out = Path.of(args[1]);
        TensorFlowRuntime.start();
        LabeledImages test = ColourScenes.of(fashion.test(), 32, 7);
        LabeledImages train = ColourScenes.of(fashion.train().first(20_000), 32, 8);
        Path small = out.resolve("32");
        DatasetWriters.imageFolders(small.resolve("jpeg"), null, test, CLASSES, "jpg", 0.9f);
        DatasetWriters.imageFolders(small.resolve("png"), null, test, CLASSES, "png", 1f);
        TfRecordWriter.write(small.resolve("tfrecord"), "scenes", null, test, 4, false, "jpg");
        DatasetWriters.numpy(small.resolve("npz").resolve("scenes.npz"), null, test, false);
        DatasetWriters.cifar10(small.resolve("cifar"), null, test, CLASSES);
        train(new ArchitectureSpec(null, null, null, List.of(32, 32, 3), 10), train, test.first(1000), 1, 64,
                small.resolve("model"));
        System.out.println("32 px: 10,000 scenes in 5 formats and the small CNN");

        LabeledImages sources = test.first(5_000);
        Path large = out.resolve("224");
        writePhotos(large.resolve("jpeg"), sources);
        LabeledImages cropped = cropped(large.resolve("jpeg"), sources.count());
        DatasetWriters.numpy(large.resolve("npz").resolve("photos.npz"), null, cropped, false);
        train(new ArchitectureSpec("resnet", 8, 16, List.of(224, 224, 3), 10), cropped.first(256),
                cropped.first(64), 1, 16, large.resolve("model"));
        System.out.println("224 px: 5,000 photos as JPEG folders, TFRecord and the cropped arrays, and ResNet-8");
    }

    /** Scene {@code i} enlarged to a photo's size of its own (seeded), with grain. */
    private static Image photo(LabeledImages scenes, int i) {
        SplittableRandom random = new SplittableRandom(1000L + i);
        int width = random.nextInt(320, 513);
        int height = random.nextInt(240, 385);
        float[] values = Resampling.BILINEAR.resize(scenes.image(i), height, width);
        byte[] pixels = new byte[values.length];
        for (int p = 0; p < values.length; p++) {
            pixels[p] = (byte) Math.max(0, Math.min(255, Math.round(values[p] + random.nextGaussian() * 6)));
        }
        return new Image(height, width, 3, pixels);
    }

    private static void writePhotos(Path folder, LabeledImages scenes) throws Exception {
        java.util.List<byte[]> jpegs = new java.util.ArrayList<>();
        for (int i = 0; i < scenes.count(); i++) {
            byte[] jpeg = ImageEncoder.encode(photo(scenes, i), "jpg", 0.9f);
            jpegs.add(jpeg);
            Path classFolder = folder.resolve("test").resolve(CLASSES.get(scenes.label(i)));
            Files.createDirectories(classFolder);
            Path file = classFolder.resolve(String.format(Locale.ROOT, "%06d.jpg", i));
            Files.write(file, jpeg);
        }
        Path shards = folder.resolveSibling("tfrecord");
        Files.createDirectories(shards);
        int count = 4;
        int per = (jpegs.size() + count - 1) / count;
        for (int s = 0; s < count; s++) {
            try (var out = TfRecordWriter.create(shards.resolve(String.format(Locale.ROOT,
                    "photos-test.tfrecord-%05d-of-%05d", s, count)), false)) {
                for (int i = s * per; i < Math.min(jpegs.size(), (s + 1) * per); i++) {
                    io.prunestream.tensorflow.data.TfRecords.write(out, TfRecordWriter.example(jpegs.get(i),
                            scenes.label(i), "image", "label"));
                }
            }
        }
    }

    /** The photos as the model is fed them (decoded, resized, cropped), rounded to bytes: the decoded arrays. */
    private static LabeledImages cropped(Path jpegFolder, int count) throws Exception {
        var split = io.prunestream.datasets.DatasetFormats.open(io.prunestream.datasets.DatasetSpec.of("photos",
                jpegFolder)).test();
        ModelInput input = ModelInput.resolve(List.of(-1L, 224L, 224L, 3L), split.shape(), new Preprocessing(
                null, 1.0, List.of(0.0), List.of(1.0), null, null, new Resize(256), List.of(224, 224), null));
        byte[] pixels = new byte[count * 224 * 224 * 3];
        int[] labels = new int[count];
        float[] one = new float[input.valuesPerImage()];
        for (int i = 0; i < split.size(); i++) {
            String where = split.locate(i);
            int written = Integer.parseInt(where.substring(where.lastIndexOf('/') + 1, where.lastIndexOf('.')));
            input.write(split.image(i), one, 0, where);
            for (int v = 0; v < one.length; v++) {
                pixels[written * one.length + v] = (byte) Math.max(0, Math.min(255, Math.round(one[v])));
            }
            labels[written] = split.label(i);
        }
        return new LabeledImages(count, 224, 224, 3, pixels, labels);
    }

    private static void train(ArchitectureSpec architecture, LabeledImages train, LabeledImages test, int epochs,
            int batch, Path target) throws Exception {
        TrainingSpec spec = new TrainingSpec(architecture, new OptimizerSpec("adam", 0.003, null, null, "constant",
                null, null), MethodSpec.defaults(), batch, epochs, 5L, 10);
        new Trainer(spec, train, test).run((result, export) -> {
            if (result.epoch() == epochs) {
                export.exportTo(target);
                System.out.printf(Locale.ROOT, "%s: test accuracy %.4f after %d epoch(s)%n", target,
                        result.testAccuracy(), epochs);
            }
        });
    }
}
