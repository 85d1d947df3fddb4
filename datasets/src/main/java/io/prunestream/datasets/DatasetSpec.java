package io.prunestream.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset as configured or registered: its name, folder, format ({@code null}: detected from the folder's
 * contents), class names ({@code null}: the class folders in sorted order, the format's own names, or the labels'
 * numbers), and, for TFRecords, the feature keys of the image and the label ({@code null}: {@code image} or
 * {@code image/encoded}, {@code label} or {@code image/class/label}).
 */
public record DatasetSpec(String name, Path dir, String format, List<String> classes, String imageKey,
        String labelKey) {

    public DatasetSpec {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("dataset name '" + name + "' must be 1-64 lower-case letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
        if (dir == null) {
            throw new IllegalArgumentException("dataset '" + name + "': dir is required");
        }
        if (classes != null) {
            if (classes.isEmpty() || classes.stream().anyMatch(c -> c == null || c.isBlank())) {
                throw new IllegalArgumentException("dataset '" + name + "': classes " + classes + " must be a list of"
                        + " names");
            }
            if (classes.stream().distinct().count() != classes.size()) {
                throw new IllegalArgumentException("dataset '" + name + "': classes " + classes + " names one twice");
            }
            classes = List.copyOf(classes);
        }
        format = format == null || format.isBlank() ? null : format;
    }

    /** A folder with everything detected. */
    public static DatasetSpec of(String name, Path dir) {
        return new DatasetSpec(name, dir, null, null, null, null);
    }

    /** This spec with another folder (the same dataset, moved). */
    public DatasetSpec at(Path folder) {
        return new DatasetSpec(name, folder, format, classes, imageKey, labelKey);
    }
}
