package io.prunestream.datasets;

/**
 * What every split of this project holds whole: its name, every image's label and the shape its images share; the
 * pixels are each format's to read. Subclasses stay thread-safe by keeping these fixed.
 */
public abstract class LabeledSplit implements ImageSplit {

    private final String name;
    private final int[] labels;
    private final ImageShape shape;

    /** {@code labels} is kept as it is, not copied: the formats build it for this split alone. */
    protected LabeledSplit(String name, int[] labels, ImageShape shape) {
        this.name = name;
        this.labels = labels;
        this.shape = shape;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int size() {
        return labels.length;
    }

    @Override
    public final int label(int index) {
        return labels[index];
    }

    @Override
    public final ImageShape shape() {
        return shape;
    }
}
