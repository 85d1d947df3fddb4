package io.prunestream.events;

import java.util.List;
import java.util.Locale;

/**
 * What a model's input is made of, as its producer declares it: each pixel (0..255) becomes
 * {@code (pixel * scale - mean[c]) / std[c]} (one {@code mean} and {@code std} for all channels, or one per channel),
 * and {@code layout} says where a rank-4 or flattened input keeps its channels ({@code NHWC} or {@code NCHW}). Each
 * field is optional: absent or null means scale 1/255, mean 0, std 1, NHWC, which is how this project's own models
 * and most Keras models are fed.
 */
public record Preprocessing(Double scale, List<Double> mean, List<Double> std, String layout) {

    public static final Double DEFAULT_SCALE = 1.0 / 255;

    /** x/255, nothing subtracted, NHWC. */
    public static final Preprocessing DEFAULT = new Preprocessing(null, null, null, null);

    /** The largest number of per-channel values: more is no image. */
    public static final int MAX_CHANNELS = 64;

    public Preprocessing {
        scale = scale == null ? DEFAULT_SCALE : scale;
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("preprocessing.scale: " + scale
                    + " must be a finite number other than 0");
        }
        mean = values(mean == null ? List.of(0.0) : mean, "preprocessing.mean", false);
        std = values(std == null ? List.of(1.0) : std, "preprocessing.std", true);
        layout = layout == null ? "NHWC" : layout;
        if (!layout.equals("NHWC") && !layout.equals("NCHW")) {
            throw new IllegalArgumentException("preprocessing.layout: '" + layout + "' is not NHWC or NCHW");
        }
    }

    private static List<Double> values(List<Double> values, String field, boolean positive) {
        if (values.isEmpty() || values.size() > MAX_CHANNELS) {
            throw new IllegalArgumentException(field + ": " + values.size() + " values; give 1, or one per channel"
                    + " (at most " + MAX_CHANNELS + ")");
        }
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null || !Double.isFinite(v) || (positive && v <= 0)) {
                throw new IllegalArgumentException(field + "[" + i + "]: " + v + " must be a finite"
                        + (positive ? " positive" : "") + " number");
            }
        }
        return List.copyOf(values);
    }

    /** {@code mean} as an array, one value or one per channel. */
    public double[] meanValues() {
        return mean.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** {@code std} as an array, one value or one per channel. */
    public double[] stdValues() {
        return std.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** From the text of query parameters ({@code scale=0.00392}, {@code mean=0.5,0.5}): any may be null. */
    public static Preprocessing parse(String scale, String mean, String std, String layout) {
        return new Preprocessing(scale == null ? null : number(scale, "preprocessing.scale"),
                mean == null ? null : numbers(mean, "preprocessing.mean"),
                std == null ? null : numbers(std, "preprocessing.std"),
                layout == null ? null : layout.toUpperCase(Locale.ROOT));
    }

    private static List<Double> numbers(String text, String field) {
        return java.util.Arrays.stream(text.split(",", -1)).map(part -> number(part.trim(), field)).toList();
    }

    private static double number(String text, String field) {
        String trimmed = text.trim();
        // 1/255 is how people write it.
        int slash = trimmed.indexOf('/');
        try {
            return slash < 0 ? Double.parseDouble(trimmed) : Double.parseDouble(trimmed.substring(0, slash))
                    / Double.parseDouble(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a number", e);
        }
    }
}
