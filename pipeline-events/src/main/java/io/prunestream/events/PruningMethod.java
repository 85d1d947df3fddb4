package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a model was derived from its checkpoint; {@code dense} is the unpruned checkpoint itself. {@code threshold} and
 * {@code threshold+mean} zero (or mean-recover) single weights; {@code filter-l1} and {@code tpp} remove whole filters,
 * so their variants are physically smaller: {@code filter-l1} the filters of smallest L1 norm, {@code tpp} the filters
 * a TPP training chose and drove to zero, {@code bottleneck} the channels whose trained gates (AutoBot) closed, at a
 * multiply-add target; {@code obs} removes single weights layer by layer and moves the kept ones so that each layer's
 * output on calibration images changes least (Optimal Brain Surgeon).
 */
public enum PruningMethod {
    DENSE("dense"),
    THRESHOLD("threshold"),
    THRESHOLD_MEAN("threshold+mean"),
    FILTER_L1("filter-l1"),
    TPP("tpp"),
    BOTTLENECK("bottleneck"),
    OBS("obs");

    private final String wireName;

    PruningMethod(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The method of this wire name ({@code threshold+mean}, {@code filter-l1}, ...). */
    public static PruningMethod of(String wireName) {
        for (PruningMethod method : values()) {
            if (method.wireName.equals(wireName)) {
                return method;
            }
        }
        throw new IllegalArgumentException("method: '" + wireName + "' is not one of dense, threshold,"
                + " threshold+mean, filter-l1, tpp, bottleneck, obs");
    }

    /** Removes whole filters (a smaller network) rather than zeroing weights. */
    public boolean structured() {
        return this == FILTER_L1 || this == TPP || this == BOTTLENECK;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
