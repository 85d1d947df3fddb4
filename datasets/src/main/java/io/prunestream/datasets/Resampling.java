package io.prunestream.datasets;

import java.util.Locale;

/**
 * Resizing as TensorFlow 2's {@code tf.image.resize} does it (what Keras' {@code image_dataset_from_directory} and
 * {@code Resizing} layer call): half-pixel centres, no antialiasing, float results (nothing rounded back to bytes).
 * {@code bilinear} blends the four nearest pixels, {@code nearest} takes one, {@code area} averages every pixel the
 * output pixel covers, in proportion to the overlap.
 */
public enum Resampling {
    BILINEAR,
    NEAREST,
    AREA;

    public static Resampling of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** {@code image} resized to {@code height × width}, HWC floats (0..255). */
    public float[] resize(Image image, int height, int width) {
        if (height == image.height() && width == image.width()) {
            return floats(image);
        }
        return switch (this) {
            case BILINEAR -> bilinear(image, height, width);
            case NEAREST -> nearest(image, height, width);
            case AREA -> area(image, height, width);
        };
    }

    static float[] floats(Image image) {
        byte[] pixels = image.pixels();
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = pixels[i] & 0xFF;
        }
        return out;
    }

    private static float[] bilinear(Image image, int height, int width) {
        int channels = image.channels();
        float[] out = new float[height * width * channels];
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] dx = new float[width];
        double scaleX = (double) image.width() / width;
        for (int x = 0; x < width; x++) {
            double in = (x + 0.5) * scaleX - 0.5;
            double floor = Math.floor(in);
            x0[x] = (int) Math.max(floor, 0);
            x1[x] = (int) Math.min(Math.ceil(in), image.width() - 1);
            dx[x] = (float) (in - floor);
        }
        double scaleY = (double) image.height() / height;
        for (int y = 0; y < height; y++) {
            double in = (y + 0.5) * scaleY - 0.5;
            double floor = Math.floor(in);
            int y0 = (int) Math.max(floor, 0);
            int y1 = (int) Math.min(Math.ceil(in), image.height() - 1);
            float dy = (float) (in - floor);
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    float top = image.at(y0, x0[x], c) + (image.at(y0, x1[x], c) - image.at(y0, x0[x], c)) * dx[x];
                    float bottom = image.at(y1, x0[x], c)
                            + (image.at(y1, x1[x], c) - image.at(y1, x0[x], c)) * dx[x];
                    out[(y * width + x) * channels + c] = top + (bottom - top) * dy;
                }
            }
        }
        return out;
    }

    private static float[] nearest(Image image, int height, int width) {
        int channels = image.channels();
        float[] out = new float[height * width * channels];
        double scaleY = (double) image.height() / height;
        double scaleX = (double) image.width() / width;
        for (int y = 0; y < height; y++) {
            int sy = (int) Math.min(Math.floor((y + 0.5) * scaleY), image.height() - 1);
            for (int x = 0; x < width; x++) {
                int sx = (int) Math.min(Math.floor((x + 0.5) * scaleX), image.width() - 1);
                for (int c = 0; c < channels; c++) {
                    out[(y * width + x) * channels + c] = image.at(sy, sx, c);
                }
            }
        }
        return out;
    }

    private static float[] area(Image image, int height, int width) {
        int channels = image.channels();
        float[] out = new float[height * width * channels];
        double scaleY = (double) image.height() / height;
        double scaleX = (double) image.width() / width;
        double[] sums = new double[channels];
        for (int y = 0; y < height; y++) {
            double top = y * scaleY;
            double bottom = (y + 1) * scaleY;
            for (int x = 0; x < width; x++) {
                double left = x * scaleX;
                double right = (x + 1) * scaleX;
                java.util.Arrays.fill(sums, 0);
                double total = 0;
                for (int sy = (int) top; sy < Math.min(Math.ceil(bottom), image.height()); sy++) {
                    double wy = Math.min(sy + 1, bottom) - Math.max(sy, top);
                    for (int sx = (int) left; sx < Math.min(Math.ceil(right), image.width()); sx++) {
                        double w = wy * (Math.min(sx + 1, right) - Math.max(sx, left));
                        total += w;
                        for (int c = 0; c < channels; c++) {
                            sums[c] += w * image.at(sy, sx, c);
                        }
                    }
                }
                for (int c = 0; c < channels; c++) {
                    out[(y * width + x) * channels + c] = (float) (sums[c] / total);
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
