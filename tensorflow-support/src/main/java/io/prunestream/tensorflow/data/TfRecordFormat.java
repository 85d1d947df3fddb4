package io.prunestream.tensorflow.data;

import io.prunestream.datasets.Dataset;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.DatasetFormat;
import io.prunestream.datasets.DatasetSpec;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.Labels;
import io.prunestream.datasets.Split;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * TFRecord shards of {@code tf.train.Example}s, as TFDS ({@code cifar10-train.tfrecord-00000-of-00001}) and the TF
 * model garden ({@code train-00000-of-01024}, {@code validation-00000-of-00128}) write them, plain or GZIP-compressed
 * (recognised by content). The split is in each shard's name; {@code validation} serves as the test split where there
 * is no {@code test}. Each Example holds the encoded image (PNG or JPEG bytes) under {@code image} or
 * {@code image/encoded} and its class as an int64 under {@code label} or {@code image/class/label}, other keys
 * where the dataset declares them. Records are parsed with the {@code tf.train.Example} protos of the TensorFlow Java
 * API and decoded with ImageIO; every record's length and data checksums are checked when the shards are indexed and
 * again when read.
 */
public final class TfRecordFormat implements DatasetFormat {

    public static final String NAME = "tfrecord";
    private static final Pattern SPLIT = Pattern.compile("(?:^|[-_.])(train|test|validation)(?:[-_.]|$)");
    private static final Pattern GARDEN = Pattern.compile("^(train|test|validation)-\\d{5}-of-\\d{5}$");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(Path folder) {
        return !shards(folder).isEmpty();
    }

    @Override
    public boolean recognisesFile(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] start = raw.readNBytes(12);
            if (start.length >= 2 && (start[0] & 0xFF) == 0x1f && (start[1] & 0xFF) == 0x8b) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    return TfRecords.looksLikeRecord(in.readNBytes(12));
                }
            }
            return TfRecords.looksLikeRecord(start);
        } catch (IOException e) {
            return false;
        }
    }

    /** Files of {@code folder} named as shards are named. */
    private static List<Path> shards(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                String name = String.valueOf(f.getFileName());
                return name.contains(".tfrecord") || GARDEN.matcher(name).matches();
            }).sorted(Comparator.comparing(f -> String.valueOf(f.getFileName()))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public Dataset open(DatasetSpec spec) throws DatasetException {
        List<Path> train = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        List<Path> validation = new ArrayList<>();
        for (Path shard : shards(spec.dir())) {
            String name = String.valueOf(shard.getFileName());
            Matcher split = SPLIT.matcher(name.toLowerCase(Locale.ROOT));
            if (!split.find()) {
                throw new DatasetException("TFRecord shard " + shard + " does not say its split: its name holds none"
                        + " of train, test, validation (<name>-<split>.tfrecord-00000-of-00008)");
            }
            switch (split.group(1)) {
                case "train" -> train.add(shard);
                case "test" -> test.add(shard);
                default -> validation.add(shard);
            }
        }
        if (test.isEmpty()) {
            test = validation;
        }
        if (train.isEmpty() && test.isEmpty()) {
            throw new DatasetException("dataset folder " + spec.dir() + " holds no TFRecord shards"
                    + " (<name>-<split>.tfrecord-00000-of-00008, or train-00000-of-01024)");
        }
        ExampleKeys keys = new ExampleKeys(spec.imageKey(), spec.labelKey());
        ImageSplit trainSplit = train.isEmpty() ? null : TfRecordSplit.index(Split.TRAIN.label(), spec.dir(), train,
                keys);
        ImageSplit testSplit = test.isEmpty() ? null : TfRecordSplit.index(Split.TEST.label(), spec.dir(), test,
                keys);
        return new Dataset(spec.name(), NAME, Labels.classes(spec.classes(), Stream.of(trainSplit, testSplit)
                .filter(s -> s != null).toList()), trainSplit, testSplit);
    }
}
