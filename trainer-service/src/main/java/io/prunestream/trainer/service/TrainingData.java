package io.prunestream.trainer.service;

import io.prunestream.datasets.Dataset;
import io.prunestream.datasets.DatasetCatalog;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.Splits;
import io.prunestream.datasets.UnknownDatasetException;
import io.prunestream.store.ModelStore;
import io.prunestream.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * The datasets runs train on: those of {@code trainer.datasets.<name>} and those registered in the model store. A
 * dataset is read into memory (within {@code trainer.max-training-bytes}) when a run first needs it, and kept for the
 * next run of the same dataset; only the most recent one is kept.
 */
@ApplicationScoped
public class TrainingData {

    private final DatasetCatalog catalog;
    private final TrainerConfig config;
    private final Map<String, Splits> held = new HashMap<>();

    TrainingData(TrainerConfig config, ModelStore store) {
        this.catalog = DatasetCatalog.configured(config.datasets(), store, 0);
        this.config = config;
    }

    /** The dataset a run names, or the default one when it names none. */
    public String name(String requested) {
        return requested == null ? config.defaultDataset() : requested;
    }

    /** Refuses a name the catalogue lacks, with the names it has. */
    public void requireKnown(String dataset) throws UnknownDatasetException {
        catalog.requireKnown(dataset);
    }

    /** Dataset {@code name}, opened: its classes, and its splits' sizes and shapes. */
    public Dataset dataset(String name) throws UnknownDatasetException, DatasetException {
        return catalog.dataset(name);
    }

    /** Both splits of {@code name} in memory. */
    public synchronized Splits splits(String name) throws UnknownDatasetException, DatasetException {
        Splits splits = held.get(name);
        if (splits == null) {
            held.clear();
            splits = Splits.load(catalog.dataset(name), config.maxTrainingBytes().asLongValue(),
                    "trainer.max-training-bytes");
            held.put(name, splits);
        }
        return splits;
    }

    /** Where dataset {@code name} lives, for provenance. */
    public String location(String name) {
        try {
            return catalog.spec(name).dir().toString();
        } catch (UnknownDatasetException | DatasetException e) {
            return name;
        }
    }
}
