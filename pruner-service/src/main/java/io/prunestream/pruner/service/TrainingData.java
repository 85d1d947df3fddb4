package io.prunestream.pruner.service;

import io.prunestream.datasets.DatasetCatalog;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.Splits;
import io.prunestream.datasets.UnknownDatasetException;
import io.prunestream.pruner.config.PrunerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The datasets the pruner serves ({@code pruner.datasets.<name>.dir}): which names a checkpoint may carry, and the
 * splits the bottleneck's gates and fine-tuning train on. A dataset is read on first use only: a pruner that trains
 * nothing needs no images.
 */
@ApplicationScoped
public class TrainingData {

    private final DatasetCatalog catalog;

    TrainingData(PrunerConfig config) {
        Map<String, Path> folders = new TreeMap<>();
        config.datasets().forEach((name, dataset) -> folders.put(name, dataset.dir()));
        this.catalog = new DatasetCatalog(folders, 0);
    }

    /** Refuses a dataset name the catalogue lacks, with the names it has. */
    public void requireKnown(String dataset) throws PruneFailure {
        try {
            catalog.folder(dataset);
        } catch (UnknownDatasetException e) {
            throw new PruneFailure(FailureReason.UNKNOWN_DATASET, e.getMessage(), e);
        }
    }

    /**
     * The splits, to train on for a checkpoint of {@code dataset}; {@code purpose} (such as {@code fine-tune} or
     * {@code train the bottleneck of}) says why in the error.
     */
    Splits splits(String checkpointId, String dataset, String purpose) throws PruneFailure {
        try {
            return catalog.splits(dataset);
        } catch (UnknownDatasetException e) {
            throw new PruneFailure(FailureReason.UNKNOWN_DATASET, "cannot " + purpose + " checkpoint " + checkpointId
                    + ": " + e.getMessage(), e);
        } catch (DatasetException e) {
            throw new PruneFailure(FailureReason.MISSING_DATASET, "cannot " + purpose + " checkpoint "
                    + checkpointId + ": dataset '" + dataset + "' is unusable: " + e.getMessage(), e);
        }
    }
}
