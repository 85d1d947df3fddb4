package io.prunestream.trainer.service;

import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.Splits;
import io.prunestream.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** The configured dataset, read once (about 55 MB for Fashion-MNIST) and shared by every run. */
@ApplicationScoped
public class TrainingData {

    private final TrainerConfig config;
    private Splits splits;

    TrainingData(TrainerConfig config) {
        this.config = config;
    }

    public synchronized Splits splits() throws DatasetException {
        if (splits == null) {
            splits = Splits.load(config.dataset().dir());
        }
        return splits;
    }

    public String name() {
        return config.dataset().name();
    }
}
