package io.prunestream.datasets;

/**
 * Both splits of a dataset held in memory, as training and fine-tuning use them (every epoch visits every image in a
 * new order). Held only within a bound: a split larger than that once decoded is refused with its size, and a split of
 * images of several sizes cannot be trained on as it is.
 */
public record Splits(LabeledImages train, LabeledImages test) {

    /** Reads both splits of {@code dataset} into memory, each at most {@code maxBytes} once decoded. */
    public static Splits load(Dataset dataset, long maxBytes, String setting) throws DatasetException {
        if (dataset.train() == null || dataset.test() == null) {
            throw new DatasetException("dataset '" + dataset.name() + "' has no " + (dataset.train() == null
                    ? "train" : "test") + " split; training needs both");
        }
        return new Splits(load(dataset, dataset.train(), maxBytes, setting), load(dataset, dataset.test(), maxBytes,
                setting));
    }

    private static LabeledImages load(Dataset dataset, ImageSplit split, long maxBytes, String setting)
            throws DatasetException {
        ImageShape shape = split.shape();
        if (!shape.uniform()) {
            throw new DatasetException("the " + split.name() + " split of '" + dataset.name() + "' has images of"
                    + " several sizes " + shape + "; training takes images of one size");
        }
        long bytes = (long) split.size() * shape.height() * shape.width() * shape.channels();
        if (bytes > maxBytes) {
            throw new DatasetException("the " + split.name() + " split of '" + dataset.name() + "' takes " + bytes
                    + " bytes decoded, more than " + setting + " (" + maxBytes + ")");
        }
        return LabeledImages.of(split);
    }
}
