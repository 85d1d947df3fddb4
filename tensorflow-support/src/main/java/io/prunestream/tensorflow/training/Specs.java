package io.prunestream.tensorflow.training;

import java.util.Set;

/** Defaults and checks shared by the spec records; every message starts with the field's path. */
final class Specs {

    private Specs() {
    }

    static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    static String oneOf(String value, Set<String> allowed, String field) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + ": '" + value + "' is not one of " + allowed);
        }
        return value;
    }

    static double positive(double value, String field) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + ": " + value + " must be a positive number");
        }
        return value;
    }

    static double nonNegative(double value, String field) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + ": " + value + " must be zero or more");
        }
        return value;
    }

    static double range(double value, double min, double max, String field) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + ": " + value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    static int range(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }
}
