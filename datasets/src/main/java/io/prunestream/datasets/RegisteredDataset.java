package io.prunestream.datasets;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The manifest of a dataset registered in the store ({@code datasets/<name>/dataset.json}), written last, so that a
 * folder without one was never registered: how to open its files ({@code data/}) and what they held when they were
 * validated.
 */
public record RegisteredDataset(String name, String format, List<String> classes, String imageKey, String labelKey,
        Map<String, DatasetSummary.SplitSummary> splits, Instant registeredAt) {

    public static final String FILE = "dataset.json";
    public static final String DATA = "data";

    /** How to open it, its files at {@code folder}. */
    public DatasetSpec spec(java.nio.file.Path folder) {
        return new DatasetSpec(name, folder, format, classes, imageKey, labelKey);
    }
}
