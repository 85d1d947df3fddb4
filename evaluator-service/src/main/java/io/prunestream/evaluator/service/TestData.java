package io.prunestream.evaluator.service;

import io.prunestream.datasets.Dataset;
import io.prunestream.datasets.DatasetCatalog;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.DatasetSummary;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.UnknownDatasetException;
import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.events.FailureReason;
import io.prunestream.store.ModelStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * The test splits models are scored on: the configured datasets and those registered in the model store, each opened
 * once (labels and image shapes; images are read as they are scored) and cut to the sample limit.
 */
@ApplicationScoped
public class TestData {

    private final DatasetCatalog catalog;

    TestData(EvaluatorConfig config, ModelStore store) {
        this.catalog = DatasetCatalog.configured(config.datasets(), store,
                config.sampleLimit().orElse(0));
    }

    /** The test split of {@code dataset}; a name the catalogue lacks is refused with the names it has. */
    public ImageSplit images(String dataset) throws EvaluationFailure {
        try {
            return catalog.test(dataset);
        } catch (UnknownDatasetException e) {
            throw EvaluationFailure.of(e, "");
        } catch (DatasetException e) {
            throw new EvaluationFailure(FailureReason.MISSING_DATASET, "dataset '" + dataset + "' is unusable: "
                    + e.detail(), e);
        }
    }

    /** The class names of {@code dataset} (opened already by {@link #images}). */
    public List<String> classes(String dataset) throws EvaluationFailure {
        try {
            Dataset opened = catalog.dataset(dataset);
            return opened.classes();
        } catch (UnknownDatasetException | DatasetException e) {
            throw EvaluationFailure.of(e, "");
        }
    }

    /** Opens every configured dataset's test split, so that a missing one stops the service at start, key named. */
    public void requireAll() {
        for (String name : catalog.configuredNames()) {
            try {
                catalog.test(name);
            } catch (UnknownDatasetException | DatasetException e) {
                throw new IllegalStateException("evaluator.datasets." + name + ".dir: " + e.detail(), e);
            }
        }
    }

    public Set<String> names() {
        return catalog.names();
    }

    /** Every dataset, as {@code GET /datasets} lists them. */
    public List<DatasetSummary> summaries() {
        return catalog.summaries();
    }
}
