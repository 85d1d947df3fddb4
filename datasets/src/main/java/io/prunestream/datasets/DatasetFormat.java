package io.prunestream.datasets;

import java.nio.file.Path;

/**
 * One way datasets are stored on disk. The built-in formats are {@link DatasetFormats}'; others (TFRecord, whose
 * protos live with TensorFlow) are found with {@link java.util.ServiceLoader}.
 */
public interface DatasetFormat {

    /**
     * The name {@code format} takes: {@code image-folders}, {@code tfrecord}, {@code numpy}, {@code cifar} or
     * {@code idx}.
     */
    String name();

    /** Whether {@code folder}'s contents look like this format (its files, not their bytes). */
    boolean recognises(Path folder);

    /**
     * Indexes the dataset {@code spec} names: its splits' labels and image shapes, no pixels yet. A folder that does
     * not hold this format, a bad label, a file that cannot be read: an error naming the file.
     */
    Dataset open(DatasetSpec spec) throws DatasetException;

    /** Whether {@code file} alone (an upload of one file) is a dataset of this format. */
    default boolean recognisesFile(Path file) {
        return false;
    }
}
