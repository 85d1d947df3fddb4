package io.prunestream.trainer.service;

import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.Split;
import io.prunestream.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** The configured dataset, read once (about 55 MB for Fashion-MNIST) and shared by every run. */
@ApplicationScoped
public class TrainingData {

    /** Both splits of the dataset. */
    public record Splits(LabeledImages train, LabeledImages test) {
    }

    private final TrainerConfig config;
    private Splits splits;

    TrainingData(TrainerConfig config) {
        this.config = config;
    }

    public synchronized Splits splits() throws DatasetException {
        if (splits == null) {
            splits = new Splits(Split.TRAIN.load(config.dataset().dir()), Split.TEST.load(config.dataset().dir()));
        }
        return splits;
    }

    public String name() {
        return config.dataset().name();
    }
}
