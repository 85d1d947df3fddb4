package io.prunestream.datasets;

import io.prunestream.events.Preprocessing;
import java.util.Arrays;

/**
 * How a pixel value (0..255, after any resizing) becomes a model's input value: {@code (pixel * scale - mean[c]) /
 * std[c]}, with one mean and standard deviation for every channel or one per channel. Models trained on x/255 take
 * the default; many trained on raw pixels take scale 1; some standardise. The model file does not say which: its
 * producer does.
 */
public record PixelScaling(double scale, double[] mean, double[] std) {

    /** Pixels divided by 255, nothing subtracted: the default of {@link Preprocessing}. */
    public static final PixelScaling DEFAULT = of(Preprocessing.DEFAULT);

    public PixelScaling {
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: " + scale + " must be a finite number other than 0");
        }
        mean = checked(mean, "mean", false);
        std = checked(std, "std", true);
    }

    /** The scaling {@code preprocessing} declares. */
    public static PixelScaling of(Preprocessing preprocessing) {
        return new PixelScaling(preprocessing.scale(), preprocessing.meanValues(), preprocessing.stdValues());
    }

    private static double[] checked(double[] values, String field, boolean positive) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(field + ": must hold one value, or one per channel");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || (positive && values[i] <= 0)) {
                throw new IllegalArgumentException(field + "[" + i + "]: " + values[i] + " must be a finite"
                        + (positive ? " positive" : "") + " number");
            }
        }
        return values.clone();
    }

    /** Why means or deviations do not fit {@code channels} (neither one value nor one per channel); null if they do. */
    public String misfit(int channels) {
        for (double[] values : new double[][] {mean, std}) {
            if (values.length != 1 && values.length != channels) {
                return "preprocessing." + (values == mean ? "mean" : "std") + ": " + values.length
                        + " values, but the model takes " + channels + " channel" + (channels == 1 ? "" : "s")
                        + (channels == 1 ? " (give 1 value)" : " (give 1 value or " + channels + ")");
            }
        }
        return null;
    }

    /** The input value of {@code pixel} (0..255) in channel {@code channel}. */
    public float apply(double pixel, int channel) {
        return (float) scaled(pixel, channel);
    }

    /** {@link #apply}, before it is rounded to a float: for statistics over many pixels. */
    public double scaled(double pixel, int channel) {
        int m = mean.length == 1 ? 0 : channel;
        int s = std.length == 1 ? 0 : channel;
        return (pixel * scale - mean[m]) / std[s];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PixelScaling p && Double.compare(scale, p.scale) == 0 && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(scale) * 31 * 31 + Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "PixelScaling[scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + "]";
    }
}
