package io.prunestream.datasets;

/** The first {@code limit} images of a split: what a sample limit serves. */
final class LimitedSplit implements ImageSplit {

    private final ImageSplit whole;
    private final int limit;

    LimitedSplit(ImageSplit whole, int limit) {
        this.whole = whole;
        this.limit = Math.min(limit, whole.size());
    }

    @Override
    public String name() {
        return whole.name();
    }

    @Override
    public int size() {
        return limit;
    }

    @Override
    public int label(int index) {
        if (index >= limit) {
            throw new IndexOutOfBoundsException(index + " of " + limit);
        }
        return whole.label(index);
    }

    @Override
    public ImageShape shape() {
        return whole.shape();
    }

    @Override
    public void read(int from, int to, ImageSink sink) throws DatasetException {
        if (to > limit) {
            throw new IndexOutOfBoundsException(to + " of " + limit);
        }
        whole.read(from, to, sink);
    }

    @Override
    public boolean randomAccess() {
        return whole.randomAccess();
    }

    @Override
    public String locate(int index) {
        return whole.locate(index);
    }
}
