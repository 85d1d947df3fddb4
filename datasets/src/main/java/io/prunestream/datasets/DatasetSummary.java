package io.prunestream.datasets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /datasets} says of one dataset: its name, format, class names, and per split the number of images
 * and their shape ({@code [32, 32, 3]}, or a range of sizes); {@code registered} when it came through
 * {@code POST /datasets}, not configuration; {@code problem}, for one that cannot be opened, why.
 */
public record DatasetSummary(String name, String format, List<String> classes, Map<String, SplitSummary> splits,
        boolean registered, String problem) {

    /** One split: its images and their shape. */
    public record SplitSummary(int images, String shape) {
    }

    public DatasetSummary {
        classes = List.copyOf(classes);
        splits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    public static DatasetSummary of(Dataset dataset, boolean registered) {
        Map<String, SplitSummary> splits = new LinkedHashMap<>();
        dataset.splits().forEach((name, split) -> splits.put(name, new SplitSummary(split.size(),
                split.shape().toString())));
        return new DatasetSummary(dataset.name(), dataset.format(), dataset.classes(), splits, registered, null);
    }

    /** A dataset the catalogue names but cannot open. */
    public static DatasetSummary broken(String name, boolean registered, String problem) {
        return new DatasetSummary(name, null, List.of(), Map.of(), registered, problem);
    }
}
