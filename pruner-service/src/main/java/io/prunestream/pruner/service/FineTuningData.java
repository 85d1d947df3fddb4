package io.prunestream.pruner.service;

import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.Splits;
import io.prunestream.pruner.config.PrunerConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The dataset fine-tuning trains on (training split) and reports on (test split), read on first use only: a pruner
 * that never fine-tunes needs no dataset.
 */
@ApplicationScoped
public class FineTuningData {

    private final PrunerConfig config;
    private Splits splits;

    FineTuningData(PrunerConfig config) {
        this.config = config;
    }

    /** The splits, for fine-tuning a checkpoint of {@code dataset}. */
    synchronized Splits splits(String checkpointId, String dataset) throws PruneFailure {
        if (!config.dataset().name().equals(dataset)) {
            throw new PruneFailure(FailureReason.MISSING_DATASET, "checkpoint " + checkpointId + " was trained on '"
                    + dataset + "' but this pruner fine-tunes on '" + config.dataset().name() + "' (pruner.dataset)");
        }
        if (splits == null) {
            try {
                splits = Splits.load(config.dataset().dir());
            } catch (DatasetException e) {
                throw new PruneFailure(FailureReason.MISSING_DATASET, "cannot fine-tune checkpoint " + checkpointId
                        + ": dataset '" + dataset + "' at " + config.dataset().dir() + " is unusable: "
                        + e.getMessage(), e);
            }
        }
        return splits;
    }
}
