package io.prunestream.evaluator.service;

import io.prunestream.datasets.DatasetCatalog;
import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.UnknownDatasetException;
import io.prunestream.evaluator.config.EvaluatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The test splits models are scored on, one per dataset of the catalogue, each read once and cut to the limit. */
@ApplicationScoped
public class TestData {

    private final DatasetCatalog catalog;

    TestData(EvaluatorConfig config) {
        Map<String, Path> folders = new TreeMap<>();
        config.datasets().forEach((name, dataset) -> folders.put(name, dataset.dir()));
        this.catalog = new DatasetCatalog(folders, config.sampleLimit().orElse(0));
    }

    /** The test split of {@code dataset}; a name the catalogue lacks is refused with the names it has. */
    public LabeledImages images(String dataset) throws EvaluationFailure {
        try {
            return catalog.test(dataset);
        } catch (UnknownDatasetException e) {
            throw new EvaluationFailure(FailureReason.UNKNOWN_DATASET, e.getMessage(), e);
        } catch (DatasetException e) {
            throw new IllegalStateException("dataset '" + dataset + "' is unusable: " + e.getMessage(), e);
        }
    }

    /** Reads every dataset's test split, so that a missing one stops the service at start with its key named. */
    public void requireAll() {
        for (String name : catalog.names()) {
            try {
                catalog.test(name);
            } catch (UnknownDatasetException | DatasetException e) {
                throw new IllegalStateException("evaluator.datasets." + name + ".dir: " + e.getMessage(), e);
            }
        }
    }

    public Set<String> names() {
        return catalog.names();
    }
}
