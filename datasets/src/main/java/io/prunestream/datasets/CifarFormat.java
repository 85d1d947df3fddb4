package io.prunestream.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The binary version of CIFAR-10 and CIFAR-100 as their authors distribute it. CIFAR-10: {@code data_batch_1.bin} to
 * {@code data_batch_5.bin} and {@code test_batch.bin}, each record a label byte and 3,072 pixel bytes (the red plane
 * of 32x32, then green, then blue), class names in {@code batches.meta.txt}. CIFAR-100: {@code train.bin} and
 * {@code test.bin}, each record a coarse and a fine label byte before the pixels; the fine label (100 classes, names
 * in {@code fine_label_names.txt}) is the label. The files may sit in the folder or in its one subfolder, as the
 * archives unpack ({@code cifar-10-batches-bin/}).
 */
public final class CifarFormat implements DatasetFormat {

    public static final String NAME = "cifar";
    static final int SIDE = 32;
    static final int PIXELS = SIDE * SIDE * 3;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognises(Path folder) {
        return home(folder) != null;
    }

    /** The folder holding the files: {@code folder} or its one subfolder; null if neither does. */
    private static Path home(Path folder) {
        if (holds(folder)) {
            return folder;
        }
        try (Stream<Path> children = Files.list(folder)) {
            List<Path> folders = children.filter(Files::isDirectory).toList();
            return folders.size() == 1 && holds(folders.get(0)) ? folders.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean holds(Path folder) {
        return Files.isRegularFile(folder.resolve("test_batch.bin"))
                || Files.isRegularFile(folder.resolve("data_batch_1.bin"))
                || (Files.isRegularFile(folder.resolve("test.bin")) || Files.isRegularFile(folder.resolve("train.bin")))
                && !Files.exists(folder.resolve("train")) && !Files.exists(folder.resolve("test"));
    }

    @Override
    public Dataset open(DatasetSpec spec) throws DatasetException {
        Path home = home(spec.dir());
        if (home == null) {
            throw new DatasetException("dataset folder " + spec.dir() + " holds no CIFAR binary files (test_batch.bin"
                    + " and data_batch_N.bin, or CIFAR-100's test.bin and train.bin)");
        }
        boolean hundred = !Files.exists(home.resolve("test_batch.bin")) && !Files.exists(home.resolve(
                "data_batch_1.bin"));
        List<Path> trainFiles = new ArrayList<>();
        if (hundred) {
            addIfPresent(trainFiles, home.resolve("train.bin"));
        } else {
            for (int b = 1; Files.isRegularFile(home.resolve("data_batch_" + b + ".bin")); b++) {
                trainFiles.add(home.resolve("data_batch_" + b + ".bin"));
            }
        }
        List<Path> testFiles = new ArrayList<>();
        addIfPresent(testFiles, home.resolve(hundred ? "test.bin" : "test_batch.bin"));
        int labelBytes = hundred ? 2 : 1;
        ImageSplit train = trainFiles.isEmpty() ? null : split(Split.TRAIN, trainFiles, labelBytes);
        ImageSplit test = testFiles.isEmpty() ? null : split(Split.TEST, testFiles, labelBytes);
        List<ImageSplit> splits = Stream.of(train, test).filter(s -> s != null).toList();
        List<String> declared = spec.classes() != null ? spec.classes()
                : names(home.resolve(hundred ? "fine_label_names.txt" : "batches.meta.txt"), hundred ? 100 : 10);
        return new Dataset(spec.name(), NAME, Labels.classes(declared, splits), train, test);
    }

    private static void addIfPresent(List<Path> files, Path file) {
        if (Files.isRegularFile(file)) {
            files.add(file);
        }
    }

    private static ImageSplit split(Split split, List<Path> files, int labelBytes) throws DatasetException {
        int record = labelBytes + PIXELS;
        List<FixedRecords> parts = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        int total = 0;
        List<int[]> labels = new ArrayList<>();
        for (Path file : files) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw new DatasetException("cannot read " + file + ": " + e, e);
            }
            if (size == 0 || size % record != 0) {
                throw new DatasetException(file + " holds " + size + " bytes, not a whole number of " + record
                        + "-byte CIFAR" + (labelBytes == 2 ? "-100" : "-10") + " records (" + labelBytes
                        + " label byte" + (labelBytes == 2 ? "s" : "") + " and 3,072 pixels each)");
            }
            int count = (int) (size / record);
            labels.add(readLabels(file, count, record, labelBytes - 1));
            parts.add(FixedRecords.inPlace(file.toString(), file, 0, count, record));
            starts.add(total);
            total += count;
        }
        int[] all = new int[total];
        for (int p = 0; p < labels.size(); p++) {
            System.arraycopy(labels.get(p), 0, all, starts.get(p), labels.get(p).length);
        }
        return new RecordSplit(split.label(), all, ImageShape.of(SIDE, SIDE, 3), parts, i -> {
            int p = 0;
            while (p + 1 < starts.size() && starts.get(p + 1) <= i) {
                p++;
            }
            return files.get(p).getFileName() + " record " + (i - starts.get(p));
        }, bytes -> planarToInterleaved(bytes, labelBytes));
    }

    private static int[] readLabels(Path file, int count, int record, int labelAt) throws DatasetException {
        int[] labels = new int[count];
        byte[] buffer = new byte[record];
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(buffer, 0, record) < record) {
                    throw new DatasetException(file + " is truncated at record " + i);
                }
                labels[i] = buffer[labelAt] & 0xFF;
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
        return labels;
    }

    /** A record's pixels, red plane then green then blue, as HWC bytes. */
    static Image planarToInterleaved(byte[] record, int offset) {
        int plane = SIDE * SIDE;
        byte[] pixels = new byte[PIXELS];
        for (int p = 0; p < plane; p++) {
            pixels[3 * p] = record[offset + p];
            pixels[3 * p + 1] = record[offset + plane + p];
            pixels[3 * p + 2] = record[offset + 2 * plane + p];
        }
        return new Image(SIDE, SIDE, 3, pixels);
    }

    /** The class names of a CIFAR names file, or null when it is absent or holds another number of names. */
    private static List<String> names(Path file, int expected) throws DatasetException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            List<String> names = Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty())
                    .toList();
            return names.size() == expected ? names : null;
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }
}
