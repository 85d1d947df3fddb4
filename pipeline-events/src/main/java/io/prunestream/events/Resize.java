package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How images are brought to a model's input size: {@code "input"} stretches each image to the input's height and
 * width (as Keras' {@code image_dataset_from_directory} does); a number {@code S} scales each image so that its
 * shorter side is {@code S}, keeping its aspect, for a centre crop to follow (torchvision's {@code Resize(256)} then
 * {@code CenterCrop(224)}).
 */
public record Resize(Integer shorterSide) {

    /** To the model's input size. */
    public static final Resize INPUT = new Resize(null);

    /** The largest side anything is resized to: more is no image a model is fed. */
    public static final int MAX_SIDE = 16_384;

    public Resize {
        if (shorterSide != null && (shorterSide < 1 || shorterSide > MAX_SIDE)) {
            throw new IllegalArgumentException("preprocessing.resize: " + shorterSide + " must be 'input' or a"
                    + " shorter side of 1.." + MAX_SIDE + " pixels");
        }
    }

    /** Whether images go to the input size rather than to a shorter side. */
    public boolean toInput() {
        return shorterSide == null;
    }

    /** From JSON or a query parameter: {@code "input"}, or a shorter side as a number or its text. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Resize of(Object value) {
        if (value instanceof Number number) {
            if (number.doubleValue() != Math.rint(number.doubleValue())) {
                throw new IllegalArgumentException("preprocessing.resize: " + value + " is not a whole number of"
                        + " pixels");
            }
            return new Resize((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number.longValue())));
        }
        String text = String.valueOf(value).trim();
        if (text.equalsIgnoreCase("input")) {
            return INPUT;
        }
        try {
            return new Resize(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("preprocessing.resize: '" + value + "' is neither 'input' nor a"
                    + " shorter side in pixels", e);
        }
    }

    @JsonValue
    public Object json() {
        return toInput() ? "input" : shorterSide;
    }

    @Override
    public String toString() {
        return String.valueOf(json());
    }
}
