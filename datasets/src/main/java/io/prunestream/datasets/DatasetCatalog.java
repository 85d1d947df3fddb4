package io.prunestream.datasets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The datasets one deployment serves, by the name events carry ({@code fashion-mnist}, ...), each a folder of the four
 * standard IDX files. A split is read on first use and kept: a service that is never asked for a dataset never reads
 * it. Thread-safe.
 */
public final class DatasetCatalog {

    private final Map<String, Path> folders;
    private final Map<String, LabeledImages> tests = new HashMap<>();
    private final Map<String, Splits> splits = new HashMap<>();
    private final int testLimit;

    /**
     * @param folders dataset name to folder
     * @param testLimit at most this many test images are served (the first ones); 0 or less: all
     */
    public DatasetCatalog(Map<String, Path> folders, int testLimit) {
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("datasets: the catalogue names no dataset");
        }
        folders.forEach((name, folder) -> {
            if (name == null || name.isBlank() || folder == null) {
                throw new IllegalArgumentException("datasets: '" + name + "' -> " + folder + " is not a name and a"
                        + " folder");
            }
        });
        this.folders = new TreeMap<>(folders);
        this.testLimit = testLimit;
    }

    public Set<String> names() {
        return folders.keySet();
    }

    /** The folder of dataset {@code name}; unknown names are refused with the known ones. */
    public Path folder(String name) throws UnknownDatasetException {
        Path folder = folders.get(name);
        if (folder == null) {
            throw new UnknownDatasetException("dataset '" + name + "' is not in this deployment's catalogue (it has "
                    + String.join(", ", folders.keySet()) + ")");
        }
        return folder;
    }

    /** The test split of {@code name}, cut to the test limit. */
    public synchronized LabeledImages test(String name) throws UnknownDatasetException, DatasetException {
        LabeledImages images = tests.get(name);
        if (images == null) {
            LabeledImages all = Split.TEST.load(folder(name));
            int n = testLimit > 0 ? Math.min(testLimit, all.count()) : all.count();
            images = n == all.count() ? all : new LabeledImages(n, all.rows(), all.columns(),
                    Arrays.copyOf(all.pixels(), n * all.pixelsPerImage()), Arrays.copyOf(all.labels(), n));
            tests.put(name, images);
        }
        return images;
    }

    /** Both splits of {@code name}, whole, as training and fine-tuning use them. */
    public synchronized Splits splits(String name) throws UnknownDatasetException, DatasetException {
        Splits both = splits.get(name);
        if (both == null) {
            both = Splits.load(folder(name));
            splits.put(name, both);
        }
        return both;
    }
}
