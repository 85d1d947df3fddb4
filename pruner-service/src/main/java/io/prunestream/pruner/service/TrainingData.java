package io.prunestream.pruner.service;

import io.prunestream.datasets.Dataset;
import io.prunestream.datasets.DatasetCatalog;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.DatasetSummary;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.Splits;
import io.prunestream.datasets.UnknownDatasetException;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FailureReason;
import io.prunestream.events.PipelineFailure;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.store.ModelStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The datasets the pruner serves: those of {@code pruner.datasets.<name>} and those registered in the model store.
 * Which names a checkpoint may carry; the training split that calibration samples; and both splits, held in memory
 * within {@code pruner.max-training-bytes}, that the bottleneck's gates and fine-tuning train on. A dataset is opened
 * on first use only: a pruner that calibrates and trains nothing reads no image.
 */
@ApplicationScoped
public class TrainingData {

    private final DatasetCatalog catalog;
    private final long maxTrainingBytes;
    private final Map<String, Splits> held = new HashMap<>();

    TrainingData(PrunerConfig config, ModelStore store) {
        this.catalog = DatasetCatalog.configured(config.datasets(), store, 0);
        this.maxTrainingBytes = config.maxTrainingBytes().asLongValue();
    }

    public DatasetCatalog catalog() {
        return catalog;
    }

    /** Refuses a dataset name the catalogue lacks, with the names it has. */
    public void requireKnown(String dataset) throws PruneFailure {
        try {
            catalog.requireKnown(dataset);
        } catch (UnknownDatasetException e) {
            throw PruneFailure.of(e, "");
        }
    }

    /**
     * Refuses a checkpoint whose input its dataset's images cannot be fed to, as its preprocessing declares (channels,
     * size, layout, a mean or std of the wrong length), with the reason the evaluator would give: nothing of it could
     * be scored, so no variant is made.
     */
    public void requireFeedable(CheckpointEvent checkpoint) throws PruneFailure {
        ImageSplit images;
        try {
            Dataset dataset = catalog.dataset(checkpoint.dataset());
            images = dataset.test() != null ? dataset.test() : dataset.train();
        } catch (UnknownDatasetException | DatasetException e) {
            throw failure(e, checkpoint.checkpointId(), checkpoint.dataset(), "prune");
        }
        try {
            ModelInput.resolve(checkpoint.signature().inputShape(), images.shape(),
                    checkpoint.preprocessingOrDefault());
        } catch (PipelineFailure e) {
            throw PruneFailure.of(e, "checkpoint " + checkpoint.checkpointId() + ", input '"
                    + checkpoint.signature().inputName() + "': ");
        }
    }

    /** The training split of {@code dataset}, if it has one: what calibration images are sampled from. */
    Optional<ImageSplit> train(String checkpointId, String dataset) throws PruneFailure {
        try {
            return catalog.train(dataset);
        } catch (UnknownDatasetException | DatasetException e) {
            throw failure(e, checkpointId, dataset, "calibrate");
        }
    }

    /**
     * Both splits in memory, to train on for a checkpoint of {@code dataset}; {@code purpose} (such as
     * {@code fine-tune} or {@code train the bottleneck of}) says why in the error.
     */
    synchronized Splits splits(String checkpointId, String dataset, String purpose) throws PruneFailure {
        Splits both = held.get(dataset);
        if (both == null) {
            try {
                Dataset opened = catalog.dataset(dataset);
                both = Splits.load(opened, maxTrainingBytes, "pruner.max-training-bytes");
            } catch (UnknownDatasetException | DatasetException e) {
                throw failure(e, checkpointId, dataset, purpose);
            }
            held.put(dataset, both);
        }
        return both;
    }

    private static PruneFailure failure(PipelineFailure e, String checkpointId,
            String dataset, String purpose) {
        return e instanceof UnknownDatasetException ? PruneFailure.of(e, "cannot " + purpose + " checkpoint "
                + checkpointId + ": ") : new PruneFailure(FailureReason.MISSING_DATASET, "cannot " + purpose
                + " checkpoint " + checkpointId + ": dataset '" + dataset + "' is unusable: " + e.detail(), e);
    }

    /** Every dataset, as {@code GET /datasets} lists them. */
    public List<DatasetSummary> summaries() {
        return catalog.summaries();
    }
}
