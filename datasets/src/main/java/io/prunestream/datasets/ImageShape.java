package io.prunestream.datasets;

/**
 * The sizes of a split's images: every one {@code height × width} when {@link #uniform()}, else between the smallest
 * and the largest; and their channels (1: every image grey; 3: colour, grey ones among them read as colour).
 */
public record ImageShape(int minHeight, int maxHeight, int minWidth, int maxWidth, int channels) {

    public ImageShape {
        if (minHeight < 1 || minWidth < 1 || maxHeight < minHeight || maxWidth < minWidth
                || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("image shape " + minHeight + ".." + maxHeight + " x " + minWidth
                    + ".." + maxWidth + " x " + channels + " is no shape");
        }
    }

    public static ImageShape of(int height, int width, int channels) {
        return new ImageShape(height, height, width, width, channels);
    }

    public boolean uniform() {
        return minHeight == maxHeight && minWidth == maxWidth;
    }

    /** The shape that holds both: sizes from the smaller to the larger, colour if either is. */
    public ImageShape union(ImageShape other) {
        return new ImageShape(Math.min(minHeight, other.minHeight), Math.max(maxHeight, other.maxHeight),
                Math.min(minWidth, other.minWidth), Math.max(maxWidth, other.maxWidth),
                Math.max(channels, other.channels));
    }

    public int height() {
        return uniform() ? minHeight : -1;
    }

    public int width() {
        return uniform() ? minWidth : -1;
    }

    /** {@code [32, 32, 3]}, or {@code [180..500, 200..500, 3]} for several sizes. */
    @Override
    public String toString() {
        return "[" + range(minHeight, maxHeight) + ", " + range(minWidth, maxWidth) + ", " + channels + "]";
    }

    private static String range(int min, int max) {
        return min == max ? String.valueOf(min) : min + ".." + max;
    }
}
