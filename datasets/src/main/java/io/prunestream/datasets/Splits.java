package io.prunestream.datasets;

import java.nio.file.Path;

/** Both splits of a dataset, as training and fine-tuning use them. */
public record Splits(LabeledImages train, LabeledImages test) {

    /** Loads both splits from a folder of the standard IDX files. */
    public static Splits load(Path folder) throws DatasetException {
        return new Splits(Split.TRAIN.load(folder), Split.TEST.load(folder));
    }
}
