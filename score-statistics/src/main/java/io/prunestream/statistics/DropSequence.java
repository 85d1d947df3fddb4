package io.prunestream.statistics;

/**
 * An anytime-valid confidence sequence for a variant's drop against its dense model over a test split, fed one image
 * at a time in a random order of the split: with probability at least {@code level}, every interval it ever reports
 * contains the drop over the whole split at once, so an evaluation may look after each chunk of images and stop
 * whenever it likes without the interval losing its coverage.
 *
 * <p>Each image gives {@code x = denseRight - variantRight} in {-1, 0, 1}, mapped to {@code y = (x + 1) / 2} in
 * [0, 1], whose mean over the split a {@link MeanSequence} bounds (sampling without replacement); the drop is
 * {@code 2 mean(y) - 1}.
 */
public final class DropSequence {

    private final MeanSequence differences;
    private final double level;
    private long denseRight;
    private long variantRight;

    /**
     * @param level the confidence level, in [0.5, 1)
     * @param images how many images the split has
     */
    public DropSequence(double level, long images) {
        this.differences = new MeanSequence(level, images);
        this.level = level;
    }

    /** Adds the next image: whether the dense model and the variant each got it right. */
    public void add(boolean dense, boolean variant) {
        differences.add(((dense ? 1 : 0) - (variant ? 1 : 0) + 1) / 2.0);
        denseRight += dense ? 1 : 0;
        variantRight += variant ? 1 : 0;
    }

    public long images() {
        return differences.draws();
    }

    /** The drop on the images so far: dense top-1 minus the variant's. */
    public double estimate() {
        long n = images();
        return n == 0 ? 0 : (denseRight - variantRight) / (double) n;
    }

    /** The whole split's drop's interval now; [-1, 1] before the first image. */
    public Interval interval() {
        Interval y = differences.interval();
        return new Interval(2 * y.low() - 1, 2 * y.high() - 1, level);
    }
}
