package io.prunestream.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One dataset as a service's configuration names it ({@code <service>.datasets.<name>.*}), the same keys in every
 * service: a group of each service's {@code @ConfigMapping}.
 */
public interface DatasetSettings {

    /**
     * The dataset's folder, or {@code s3://bucket/prefix/}: a folder in a bucket the service reads (the model store's
     * bucket or one of its readable buckets), copied into the service's local copies on first use.
     */
    String dir();

    /**
     * {@code image-folders}, {@code tfrecord}, {@code numpy}, {@code cifar} or {@code idx}; detected from the
     * folder's contents when absent.
     */
    Optional<String> format();

    /** The class names in label order; absent: sorted class folders, the format's names, or numbers. */
    Optional<List<String>> classes();

    /** TFRecord: the feature holding the encoded image; absent: {@code image} or {@code image/encoded}. */
    Optional<String> imageKey();

    /** TFRecord: the int64 feature holding the label; absent: {@code label} or {@code image/class/label}. */
    Optional<String> labelKey();

    /** The spec of dataset {@code name} configured so, its files at {@code folder} (the local copy of {@link #dir}). */
    default DatasetSpec spec(String name, Path folder) {
        return new DatasetSpec(name, folder, format().orElse(null), classes().orElse(null), imageKey().orElse(null),
                labelKey().orElse(null));
    }
}
