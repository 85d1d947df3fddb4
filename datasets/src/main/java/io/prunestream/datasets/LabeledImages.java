package io.prunestream.datasets;

/**
 * Grey images with their labels: {@code count} images of {@code rows × columns} unsigned bytes, row-major, one
 * after the other in {@code pixels}; {@code labels[i]} is the class of image {@code i}. Arrays are shared, not
 * copied (the training split is 47 MB).
 */
public record LabeledImages(int count, int rows, int columns, byte[] pixels, byte[] labels) {

    public LabeledImages {
        if (count < 0 || rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException("count " + count + ", rows " + rows + ", columns " + columns
                    + ": must be non-negative, positive, positive");
        }
        if (pixels.length != (long) count * rows * columns) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + columns + " need "
                    + (long) count * rows * columns + " pixels, got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images need " + count + " labels, got " + labels.length);
        }
    }

    public int pixelsPerImage() {
        return rows * columns;
    }

    /** IDX images are grey: one channel. */
    public int channels() {
        return 1;
    }

    /** The label of image {@code i} as an int (IDX labels are unsigned bytes). */
    public int label(int i) {
        return Byte.toUnsignedInt(labels[i]);
    }
}
