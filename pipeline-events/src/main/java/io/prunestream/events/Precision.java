package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The arithmetic a model was scored in: {@code float32} as it was saved, or {@code bfloat16}, where TensorFlow's
 * oneDNN rewrite runs convolutions and matrix products in bfloat16 on a CPU that has it (AVX512-BF16 or AMX), their
 * results accumulated in float32.
 */
public enum Precision {
    FLOAT32("float32"),
    BFLOAT16("bfloat16");

    private final String wireName;

    Precision(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
