package io.prunestream.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Every dataset format this process can read: the built-in ones and those found with {@link ServiceLoader}
 * ({@code tfrecord}, from tensorflow-support). Picks a folder's format by name, or detects it from the folder's
 * contents.
 */
public final class DatasetFormats {

    private static final List<DatasetFormat> ALL = load();

    private DatasetFormats() {
    }

    private static List<DatasetFormat> load() {
        List<DatasetFormat> formats = new ArrayList<>(List.of(new ImageFolderFormat(), new NumpyFormat(),
                new CifarFormat(), new IdxFormat()));
        ServiceLoader.load(DatasetFormat.class, DatasetFormats.class.getClassLoader()).forEach(formats::add);
        return List.copyOf(formats);
    }

    public static List<DatasetFormat> all() {
        return ALL.stream().toList();
    }

    public static List<String> names() {
        return ALL.stream().map(DatasetFormat::name).toList();
    }

    /** The format named {@code name}; an unknown name is an error listing the known ones. */
    public static DatasetFormat named(String name) throws DatasetException {
        for (DatasetFormat format : ALL) {
            if (format.name().equals(name)) {
                return format;
            }
        }
        throw new DatasetException("format '" + name + "' is none of " + names());
    }

    /**
     * The format of {@code folder}: the one its contents look like. A folder that looks like none, or like several,
     * is an error that says so (an explicit {@code format} settles the second).
     */
    public static DatasetFormat detect(Path folder) throws DatasetException {
        if (!Files.isDirectory(folder)) {
            throw new DatasetException("dataset folder " + folder + " does not exist");
        }
        List<DatasetFormat> matching = ALL.stream().filter(f -> f.recognises(folder)).toList();
        if (matching.isEmpty()) {
            throw new DatasetException("dataset folder " + folder + " holds no dataset of a known format: "
                    + "train/<class>/ and test/<class>/ image folders, TFRecord shards (<name>-<split>.tfrecord-*),"
                    + " a keras.datasets .npz (or x_/y_ .npy files), CIFAR binary batches, or MNIST IDX files"
                    + (ALL.stream().noneMatch(f -> f.name().equals("tfrecord"))
                            ? " (TFRecord needs tensorflow-support on the classpath)" : ""));
        }
        if (matching.size() > 1) {
            throw new DatasetException("dataset folder " + folder + " looks like several formats, "
                    + matching.stream().map(DatasetFormat::name).toList() + "; set its format");
        }
        return matching.get(0);
    }

    /** Opens {@code spec}: its declared format, or the one detected. */
    public static Dataset open(DatasetSpec spec) throws DatasetException {
        DatasetFormat format = spec.format() != null ? named(spec.format()) : detect(spec.dir());
        if (!Files.isDirectory(spec.dir())) {
            throw new DatasetException("dataset folder " + spec.dir() + " does not exist");
        }
        return format.open(spec);
    }
}
