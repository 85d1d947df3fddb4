package io.prunestream.datasets;

/**
 * The channel orders a model may take ({@code grey}, {@code rgb}, {@code bgr}), and the conversions between an image's
 * channels and them: grey repeated into colour, colour to grey by ITU-R 601 luma with the weights
 * {@code tf.image.rgb_to_grayscale} uses, RGB reversed into BGR.
 */
public enum Channels {
    GREY(1),
    RGB(3),
    BGR(3);

    /** {@code tf.image.rgb_to_grayscale}'s weights. */
    private static final double RED = 0.2989;
    private static final double GREEN = 0.5870;
    private static final double BLUE = 0.1140;

    private final int count;

    Channels(int count) {
        this.count = count;
    }

    public int count() {
        return count;
    }

    /** The order named in preprocessing ({@code rgb}, {@code bgr}, {@code grey}), or the images' own when null. */
    public static Channels of(String name, int imageChannels) {
        if (name == null) {
            return imageChannels == 1 ? GREY : RGB;
        }
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /** {@code image} in this order: a new image, or the same one when nothing changes. */
    public Image convert(Image image) {
        if (this == GREY) {
            return image.channels() == 1 ? image : toGrey(image);
        }
        Image rgb = withChannels(image, 3);
        if (this == RGB) {
            return rgb;
        }
        byte[] bgr = rgb.pixels().clone();
        for (int p = 0; p < bgr.length; p += 3) {
            byte red = bgr[p];
            bgr[p] = bgr[p + 2];
            bgr[p + 2] = red;
        }
        return new Image(rgb.height(), rgb.width(), 3, bgr);
    }

    /** {@code image} with {@code channels} channels: grey repeated into RGB, or RGB kept (never averaged here). */
    static Image withChannels(Image image, int channels) {
        if (image.channels() == channels) {
            return image;
        }
        if (channels == 3) {
            byte[] rgb = new byte[image.pixels().length * 3];
            for (int p = 0; p < image.pixels().length; p++) {
                rgb[3 * p] = image.pixels()[p];
                rgb[3 * p + 1] = image.pixels()[p];
                rgb[3 * p + 2] = image.pixels()[p];
            }
            return new Image(image.height(), image.width(), 3, rgb);
        }
        return Channels.toGrey(image);
    }

    static Image toGrey(Image rgb) {
        byte[] source = rgb.pixels();
        byte[] grey = new byte[source.length / 3];
        for (int p = 0; p < grey.length; p++) {
            double luma = RED * (source[3 * p] & 0xFF) + GREEN * (source[3 * p + 1] & 0xFF)
                    + BLUE * (source[3 * p + 2] & 0xFF);
            grey[p] = (byte) Math.min(255, Math.round(luma));
        }
        return new Image(rgb.height(), rgb.width(), 1, grey);
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
