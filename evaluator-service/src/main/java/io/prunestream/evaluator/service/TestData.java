package io.prunestream.evaluator.service;

import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.Split;
import io.prunestream.evaluator.config.EvaluatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/** The test split every model is scored on, read once and cut to the configured sample limit. */
@ApplicationScoped
public class TestData {

    private final EvaluatorConfig config;
    private LabeledImages images;

    TestData(EvaluatorConfig config) {
        this.config = config;
    }

    public synchronized LabeledImages images() throws DatasetException {
        if (images == null) {
            LabeledImages all = Split.TEST.load(config.dataset().dir());
            int n = Math.min(all.count(), config.sampleLimit().orElse(all.count()));
            int pixels = all.pixelsPerImage();
            images = n == all.count() ? all : new LabeledImages(n, all.rows(), all.columns(),
                    Arrays.copyOf(all.pixels(), n * pixels), Arrays.copyOf(all.labels(), n));
        }
        return images;
    }

    public String name() {
        return config.dataset().name();
    }
}
