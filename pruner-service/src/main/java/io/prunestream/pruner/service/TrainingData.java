package io.prunestream.pruner.service;

import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.Splits;
import io.prunestream.pruner.config.PrunerConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The dataset the pruner trains on: the bottleneck's gates and fine-tuning on the training split, fine-tuning's
 * report on the test split. Read on first use only: a pruner that trains nothing needs no dataset.
 */
@ApplicationScoped
public class TrainingData {

    private final PrunerConfig config;
    private Splits splits;

    TrainingData(PrunerConfig config) {
        this.config = config;
    }

    /**
     * The splits, to train on for a checkpoint of {@code dataset}; {@code purpose} (such as {@code fine-tune} or
     * {@code train the bottleneck of}) says why in the error.
     */
    synchronized Splits splits(String checkpointId, String dataset, String purpose) throws PruneFailure {
        if (!config.dataset().name().equals(dataset)) {
            throw new PruneFailure(FailureReason.MISSING_DATASET, "checkpoint " + checkpointId + " was trained on '"
                    + dataset + "' but this pruner trains on '" + config.dataset().name() + "' (pruner.dataset),"
                    + " so it cannot " + purpose + " it");
        }
        if (splits == null) {
            try {
                splits = Splits.load(config.dataset().dir());
            } catch (DatasetException e) {
                throw new PruneFailure(FailureReason.MISSING_DATASET, "cannot " + purpose + " checkpoint "
                        + checkpointId + ": dataset '" + dataset + "' at " + config.dataset().dir()
                        + " is unusable: " + e.getMessage(), e);
            }
        }
        return splits;
    }
}
