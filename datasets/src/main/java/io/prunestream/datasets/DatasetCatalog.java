package io.prunestream.datasets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.s3.S3Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The datasets one deployment serves, by the name events carry: those its configuration names
 * ({@code <service>.datasets.<name>.dir}, with {@code format} and {@code classes}), and those registered in the
 * store's {@code datasets/} folder ({@code POST /datasets/{name}}), which every service on the store sees. A dataset
 * is opened (indexed: labels and image shapes, no pixels) on first use and kept; its images are read when asked for.
 * Thread-safe.
 */
public final class DatasetCatalog {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, DatasetSpec> configured;
    private final ModelStore store;
    private final int testLimit;
    private final Map<String, Dataset> opened = new HashMap<>();

    /**
     * @param configured dataset name to its spec
     * @param store the model store whose registered datasets are served too; null: none
     * @param testLimit at most this many test images are served (the first ones); 0 or less: all
     */
    public DatasetCatalog(Map<String, DatasetSpec> configured, ModelStore store, int testLimit) {
        configured.forEach((name, spec) -> {
            if (!name.equals(spec.name())) {
                throw new IllegalArgumentException("datasets: '" + name + "' is configured with the spec of '"
                        + spec.name() + "'");
            }
        });
        this.configured = new TreeMap<>(configured);
        this.store = store;
        this.testLimit = testLimit;
    }

    /**
     * The catalogue a service configures: {@code <service>.datasets.<name>} and the datasets registered in
     * {@code store}.
     */
    public static DatasetCatalog configured(Map<String, ? extends DatasetSettings> settings, ModelStore store,
            int testLimit) {
        Map<String, DatasetSpec> specs = new TreeMap<>();
        settings.forEach((name, one) -> specs.put(name, one.spec(name, folder(name, one.dir(), store))));
        return new DatasetCatalog(specs, store, testLimit);
    }

    /** A configured dataset's local folder: {@code dir} itself, or the local copy of an {@code s3://} folder. */
    private static Path folder(String name, String dir, ModelStore store) {
        if (!S3Location.isS3(dir)) {
            return Path.of(dir);
        }
        try {
            if (store == null) {
                throw new ModelStoreException("no model store to read it from");
            }
            return store.resolve(dir);
        } catch (ModelStoreException e) {
            throw new IllegalStateException("datasets." + name + ".dir '" + dir + "': " + e.getMessage(), e);
        }
    }

    /** A catalogue of folders by name, each format detected: how tests and tools name datasets. */
    public static DatasetCatalog of(Map<String, Path> folders) {
        Map<String, DatasetSpec> specs = new TreeMap<>();
        folders.forEach((name, dir) -> specs.put(name, DatasetSpec.of(name, dir)));
        return new DatasetCatalog(specs, null, 0);
    }

    /** Every name: configured, and registered in the store now. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(configured.keySet());
        names.addAll(registeredNames());
        return names;
    }

    public Set<String> configuredNames() {
        return configured.keySet();
    }

    /** The registered names: here, and (with the store in a bucket) those published there by any service. */
    private Set<String> registeredNames() {
        Set<String> names = new TreeSet<>();
        if (store == null) {
            return names;
        }
        Path registered = store.datasetsDir();
        if (Files.isDirectory(registered)) {
            try (Stream<Path> folders = Files.list(registered)) {
                folders.filter(f -> Files.isRegularFile(f.resolve(RegisteredDataset.FILE)))
                        .map(f -> String.valueOf(f.getFileName())).filter(n -> !n.startsWith("."))
                        .forEach(names::add);
            } catch (IOException e) {
                // An unreadable folder lists nothing; looking one up by name reports the error.
            }
        }
        try {
            names.addAll(store.publishedFolders(registered));
        } catch (ModelStoreException e) {
            // The bucket is unreachable: what is here still serves.
        }
        return names;
    }

    /** How to open {@code name}; a name the catalogue lacks is refused with the names it has. */
    public DatasetSpec spec(String name) throws UnknownDatasetException, DatasetException {
        DatasetSpec spec = configured.get(name);
        if (spec != null) {
            return spec;
        }
        Optional<RegisteredDataset> manifest = manifest(name);
        if (manifest.isPresent()) {
            return manifest.get().spec(store.datasetsDir().resolve(name).resolve(RegisteredDataset.DATA));
        }
        throw new UnknownDatasetException("dataset '" + name + "' is not in this deployment's catalogue (it has "
                + String.join(", ", names()) + ")");
    }

    /** Refuses a name the catalogue lacks, with the names it has. */
    public void requireKnown(String name) throws UnknownDatasetException {
        if (!configured.containsKey(name) && !registered(name)) {
            throw new UnknownDatasetException("dataset '" + name + "' is not in this deployment's catalogue (it has "
                    + String.join(", ", names()) + ")");
        }
    }

    public boolean isRegistered(String name) {
        return !configured.containsKey(name) && registered(name);
    }

    /**
     * Whether {@code name} is registered, asked by name (here, or brought from the bucket), not by listing them all:
     * every event asks. One whose manifest cannot be read counts, so that using it reports why.
     */
    private boolean registered(String name) {
        try {
            return manifest(name).isPresent();
        } catch (DatasetException e) {
            return true;
        }
    }

    private Optional<RegisteredDataset> manifest(String name) throws DatasetException {
        if (store == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            return Optional.empty();
        }
        Path folder = store.datasetsDir().resolve(name);
        try {
            store.fetchPublished(folder);
        } catch (ModelStoreException e) {
            throw new DatasetException("registered dataset '" + name + "' cannot be brought from the store: "
                    + e.getMessage(), e);
        }
        Path file = folder.resolve(RegisteredDataset.FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RegisteredDataset.class));
        } catch (IOException e) {
            throw new DatasetException("the manifest " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Dataset {@code name}, opened once. */
    public Dataset dataset(String name) throws UnknownDatasetException, DatasetException {
        synchronized (opened) {
            Dataset dataset = opened.get(name);
            if (dataset != null) {
                return dataset;
            }
        }
        Dataset dataset = DatasetFormats.open(spec(name));
        synchronized (opened) {
            return opened.computeIfAbsent(name, n -> dataset);
        }
    }

    /** The test split of {@code name}, cut to the test limit; a dataset without one is an error that says so. */
    public ImageSplit test(String name) throws UnknownDatasetException, DatasetException {
        ImageSplit test = dataset(name).test();
        if (test == null) {
            throw new DatasetException("dataset '" + name + "' has no test split to score on (only train)");
        }
        return testLimit > 0 && testLimit < test.size() ? new LimitedSplit(test, testLimit) : test;
    }

    /** The training split of {@code name}, if it has one. */
    public Optional<ImageSplit> train(String name) throws UnknownDatasetException, DatasetException {
        return Optional.ofNullable(dataset(name).train());
    }

    /** What {@code GET /datasets} lists: each dataset, or, for one that cannot be opened, why. */
    public List<DatasetSummary> summaries() {
        List<DatasetSummary> all = new ArrayList<>();
        for (String name : names()) {
            try {
                all.add(DatasetSummary.of(dataset(name), isRegistered(name)));
            } catch (UnknownDatasetException | DatasetException e) {
                all.add(DatasetSummary.broken(name, isRegistered(name), e.detail()));
            }
        }
        return all;
    }
}
