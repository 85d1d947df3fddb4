package io.prunestream.datasets;

/**
 * One decoded image: {@code height × width × channels} unsigned bytes, row by row, the channels of a pixel together
 * (HWC); one channel (grey) or three (RGB). The array is shared, not copied.
 */
public record Image(int height, int width, int channels, byte[] pixels) {

    public Image {
        if (height <= 0 || width <= 0 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("image " + height + "x" + width + "x" + channels
                    + ": needs a positive size and 1 or 3 channels");
        }
        if (pixels.length != (long) height * width * channels) {
            throw new IllegalArgumentException("a " + height + "x" + width + "x" + channels + " image needs "
                    + (long) height * width * channels + " bytes, got " + pixels.length);
        }
    }

    /** The value (0..255) of channel {@code c} at row {@code y}, column {@code x}. */
    public int at(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /** {@code [height, width, channels]}, as the messages name shapes. */
    public String shape() {
        return "[" + height + ", " + width + ", " + channels + "]";
    }
}
