package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a model's input is made from an image, as its producer declares it. In order: the image's channels are
 * converted ({@code channels}: {@code rgb}, {@code bgr} or {@code grey}; absent, they stay as the dataset has them),
 * it is resized ({@code resize}: {@code "input"}, or its shorter side to a number of pixels) with {@code interpolation}
 * ({@code bilinear}, as Keras, {@code nearest} or {@code area}), its centre cropped ({@code centerCrop} [height,
 * width]; after a shorter-side resize, the input's size by default), and each pixel (0..255) of channel c becomes
 * {@code (pixel * scale - mean[c]) / std[c]}; {@code layout} says where a rank-4 or flattened input keeps its
 * channels. A {@code preset} names the {@code keras.applications} {@code preprocess_input} modes — {@code caffe}
 * (BGR, ImageNet means subtracted), {@code tf} (-1..1), {@code torch} (x/255, ImageNet mean and std) — or
 * {@code /255}, and fills the fields it implies; a field given beside it must agree. Every field is optional: absent
 * or null means x/255, mean 0, std 1, NHWC, the images' own channels and size.
 */
public record Preprocessing(String preset, Double scale, List<Double> mean, List<Double> std, String layout,
        String channels, Resize resize,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> centerCrop,
        String interpolation) {

    public static final Double DEFAULT_SCALE = 1.0 / 255;

    /** The largest number of per-channel values: more is no image. */
    public static final int MAX_CHANNELS = 64;

    public static final List<String> CHANNELS = List.of("rgb", "bgr", "grey");
    public static final List<String> INTERPOLATIONS = List.of("bilinear", "nearest", "area");

    /** The named presets and what each one sets. */
    private record Preset(Double scale, List<Double> mean, List<Double> std, String channels) {
    }

    private static final Map<String, Preset> PRESETS = Map.of(
            "/255", new Preset(DEFAULT_SCALE, List.of(0.0), List.of(1.0), null),
            "tf", new Preset(1 / 127.5, List.of(1.0), List.of(1.0), null),
            "torch", new Preset(DEFAULT_SCALE, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), "rgb"),
            "caffe", new Preset(1.0, List.of(103.939, 116.779, 123.68), List.of(1.0), "bgr"));

    /** x/255, nothing subtracted, NHWC. */
    public static final Preprocessing DEFAULT = new Preprocessing(null, null, null, null);

    public Preprocessing {
        Preset named = null;
        if (preset != null) {
            named = PRESETS.get(preset.toLowerCase(Locale.ROOT));
            if (named == null) {
                throw new IllegalArgumentException("preprocessing.preset: '" + preset + "' is none of "
                        + PRESETS.keySet().stream().sorted().toList());
            }
            preset = preset.toLowerCase(Locale.ROOT);
            scale = agreeing("scale", scale, named.scale(), preset);
            mean = agreeing("mean", mean, named.mean(), preset);
            std = agreeing("std", std, named.std(), preset);
            if (named.channels() != null) {
                channels = agreeing("channels", channels == null ? null : channels.toLowerCase(Locale.ROOT),
                        named.channels(), preset);
            }
        }
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
        channels = channels == null ? null : oneOf(channels.equalsIgnoreCase("gray") ? "grey" : channels,
                CHANNELS, "preprocessing.channels");
        interpolation = oneOf(interpolation == null ? "bilinear" : interpolation, INTERPOLATIONS,
                "preprocessing.interpolation");
        centerCrop = crop(centerCrop);
        if (centerCrop != null && resize != null && resize.toInput()) {
            throw new IllegalArgumentException("preprocessing.centerCrop: " + centerCrop + " cannot follow resize"
                    + " 'input', which already gives the input's size");
        }
    }

    /** The preprocessing of the first four fields alone, as producers wrote it before the others existed. */
    public Preprocessing(Double scale, List<Double> mean, List<Double> std, String layout) {
        this(null, scale, mean, std, layout, null, null, null, null);
    }

    private static <T> T agreeing(String field, T given, T implied, String preset) {
        if (given != null && !given.equals(implied)) {
            throw new IllegalArgumentException("preprocessing." + field + ": " + given + " is not what preset '"
                    + preset + "' sets (" + implied + "); give one or the other");
        }
        return implied;
    }

    private static String oneOf(String value, List<String> allowed, String field) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw new IllegalArgumentException(field + ": '" + value + "' is none of " + allowed);
        }
        return lower;
    }

    private static List<Integer> crop(List<Integer> crop) {
        if (crop == null) {
            return null;
        }
        if (crop.isEmpty() || crop.size() > 2 || crop.stream().anyMatch(s -> s == null || s < 1
                || s > Resize.MAX_SIDE)) {
            throw new IllegalArgumentException("preprocessing.centerCrop: " + crop + " must be [height, width] (or"
                    + " one side for a square), each 1.." + Resize.MAX_SIDE);
        }
        return crop.size() == 1 ? List.of(crop.get(0), crop.get(0)) : List.copyOf(crop);
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

    /** The query parameters an upload may declare preprocessing with, each one of this record's fields. */
    public static final List<String> QUERY_PARAMETERS = List.of("preset", "scale", "mean", "std", "layout",
            "channels", "resize", "centerCrop", "interpolation");

    /**
     * From the text of query parameters ({@code scale=1/255}, {@code mean=0.5,0.5}, {@code resize=256},
     * {@code centerCrop=224}, ...), by name; null when none is given.
     */
    public static Preprocessing parse(Map<String, String> parameters) {
        if (parameters.values().stream().allMatch(Objects::isNull)) {
            return null;
        }
        String scale = parameters.get("scale");
        String mean = parameters.get("mean");
        String std = parameters.get("std");
        String layout = parameters.get("layout");
        String resize = parameters.get("resize");
        String crop = parameters.get("centerCrop");
        return new Preprocessing(parameters.get("preset"),
                scale == null ? null : number(scale, "preprocessing.scale"),
                mean == null ? null : numbers(mean, "preprocessing.mean"),
                std == null ? null : numbers(std, "preprocessing.std"),
                layout == null ? null : layout.toUpperCase(Locale.ROOT), parameters.get("channels"),
                resize == null ? null : Resize.of(resize),
                crop == null ? null : numbers(crop, "preprocessing.centerCrop").stream().map(v -> whole(v,
                        "preprocessing.centerCrop")).toList(),
                parameters.get("interpolation"));
    }

    /** {@link #parse(Map)} of the four parameters producers had before the others existed. */
    public static Preprocessing parse(String scale, String mean, String std, String layout) {
        java.util.LinkedHashMap<String, String> parameters = new java.util.LinkedHashMap<>();
        parameters.put("scale", scale);
        parameters.put("mean", mean);
        parameters.put("std", std);
        parameters.put("layout", layout);
        Preprocessing parsed = parse(parameters);
        return parsed == null ? DEFAULT : parsed;
    }

    private static int whole(double value, String field) {
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + ": " + value + " is not a whole number of pixels");
        }
        return (int) value;
    }

    private static List<Double> numbers(String text, String field) {
        return Arrays.stream(text.split(",", -1)).map(part -> number(part.trim(), field)).toList();
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
