package io.prunestream.datasets;

/**
 * The images of one split of a dataset, in a fixed order, with their labels (0 .. classes - 1). Labels are held;
 * images are read when asked for, so a split of any size costs its labels and an index, not its pixels.
 * Implementations are thread-safe.
 */
public interface ImageSplit {

    /** {@code train} or {@code test}. */
    String name();

    int size();

    int label(int index);

    /** The sizes and channels of its images; images are decoded with these channels. */
    ImageShape shape();

    /**
     * Hands images {@code from .. to - 1} to {@code sink}, in order. A corrupt image is an error naming its file (or
     * shard and record).
     */
    void read(int from, int to, ImageSink sink) throws DatasetException;

    /**
     * Whether reading from any position costs no more than reading the images asked for; false where a stream must
     * be read from its start (gzip, a deflated NumPy array), so that callers read such a split in order.
     */
    boolean randomAccess();

    /** Where image {@code index} comes from, for messages: a file, or a shard and record. */
    String locate(int index);

    /** Image {@code index} alone. */
    default Image image(int index) throws DatasetException {
        Image[] one = new Image[1];
        read(index, index + 1, (i, image) -> one[0] = image);
        return one[0];
    }
}
