package io.prunestream.datasets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An opened dataset: its format, its class names (label {@code i} is {@code classes.get(i)}) and its splits; a
 * split a dataset lacks is null ({@code train} is optional: without it nothing trains or calibrates on the dataset).
 */
public record Dataset(String name, String format, List<String> classes, ImageSplit train, ImageSplit test) {

    public Dataset {
        classes = List.copyOf(classes);
        if (train == null && test == null) {
            throw new IllegalArgumentException("dataset '" + name + "' has neither a train nor a test split");
        }
    }

    /** The split named {@code train} or {@code test}, or null. */
    public ImageSplit split(Split which) {
        return which == Split.TRAIN ? train : test;
    }

    /** The splits it has, train first. */
    public Map<String, ImageSplit> splits() {
        Map<String, ImageSplit> splits = new LinkedHashMap<>();
        if (train != null) {
            splits.put(train.name(), train);
        }
        if (test != null) {
            splits.put(test.name(), test);
        }
        return splits;
    }

    /** Numbered class names, {@code 0 .. count - 1}, for formats that name none. */
    public static List<String> numbered(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(String::valueOf).toList();
    }
}
