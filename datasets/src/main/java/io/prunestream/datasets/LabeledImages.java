package io.prunestream.datasets;

import java.util.Arrays;

/**
 * Images of one size held in memory with their labels: {@code count} images of {@code rows × columns × channels}
 * unsigned bytes (HWC), one after the other in {@code pixels}; {@code labels[i]} is the class of image {@code i}.
 * What the trainer trains on and calibration feeds; arrays are shared, not copied.
 */
public record LabeledImages(int count, int rows, int columns, int channels, byte[] pixels, int[] labels) {

    public LabeledImages {
        if (count < 0 || rows <= 0 || columns <= 0 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("count " + count + ", rows " + rows + ", columns " + columns
                    + ", channels " + channels + ": must be non-negative, positive, positive, 1 or 3");
        }
        if (pixels.length != (long) count * rows * columns * channels) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + columns + "x" + channels
                    + " need " + (long) count * rows * columns * channels + " bytes, got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images need " + count + " labels, got " + labels.length);
        }
    }

    /** Grey images with byte labels, as IDX files hold them. */
    public LabeledImages(int count, int rows, int columns, byte[] pixels, byte[] labels) {
        this(count, rows, columns, 1, pixels, unsigned(labels));
    }

    private static int[] unsigned(byte[] labels) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = Byte.toUnsignedInt(labels[i]);
        }
        return out;
    }

    /** Bytes of one image. */
    public int pixelsPerImage() {
        return rows * columns * channels;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Image {@code i}, its bytes copied. */
    public Image image(int i) {
        int size = pixelsPerImage();
        return new Image(rows, columns, channels, Arrays.copyOfRange(pixels, i * size, (i + 1) * size));
    }

    public ImageShape shape() {
        return ImageShape.of(rows, columns, channels);
    }

    /** The first {@code n} images. */
    public LabeledImages first(int n) {
        return n >= count ? this : new LabeledImages(n, rows, columns, channels,
                Arrays.copyOf(pixels, n * pixelsPerImage()), Arrays.copyOf(labels, n));
    }

    /** These images as a split named {@code name}: what code that reads splits takes images held in memory as. */
    public ImageSplit asSplit(String name) {
        LabeledImages images = this;
        return new ImageSplit() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int size() {
                return count;
            }

            @Override
            public int label(int index) {
                return labels[index];
            }

            @Override
            public ImageShape shape() {
                return images.shape();
            }

            @Override
            public void read(int from, int to, ImageSink sink) throws DatasetException {
                for (int i = from; i < to; i++) {
                    sink.accept(i, images.image(i));
                }
            }

            @Override
            public boolean randomAccess() {
                return true;
            }

            @Override
            public String locate(int index) {
                return name + " image " + index;
            }
        };
    }

    /** Every image of {@code split} read into memory: for splits known to be small (tests, samples). */
    public static LabeledImages of(ImageSplit split) throws DatasetException {
        return of(split, java.util.stream.IntStream.range(0, split.size()).toArray());
    }

    /**
     * Images {@code indices} (increasing) of {@code split} read into memory, in that order; they must share one size.
     * A split that is read in order is read once, from its start to the last index.
     */
    public static LabeledImages of(ImageSplit split, int[] indices) throws DatasetException {
        ImageShape shape = split.shape();
        if (!shape.uniform()) {
            throw new DatasetException("split '" + split.name() + "' has images of several sizes " + shape
                    + "; they cannot be held as one array");
        }
        int size = shape.height() * shape.width() * shape.channels();
        byte[] pixels = new byte[indices.length * size];
        int[] labels = new int[indices.length];
        int[] next = {0};
        ImageSink sink = (index, image) -> {
            int slot = next[0];
            if (slot < indices.length && indices[slot] == index) {
                System.arraycopy(Channels.withChannels(image, shape.channels()).pixels(), 0, pixels, slot * size,
                        size);
                labels[slot] = split.label(index);
                next[0]++;
            }
        };
        if (split.randomAccess()) {
            for (int index : indices) {
                split.read(index, index + 1, sink);
            }
        } else if (indices.length > 0) {
            split.read(indices[0], indices[indices.length - 1] + 1, sink);
        }
        return new LabeledImages(indices.length, shape.height(), shape.width(), shape.channels(), pixels, labels);
    }
}
