package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a variant scored sequentially stopped before, or at, the end of its test split. */
public enum StopReason {
    /** Its drop's interval became narrower than the tolerance either side. */
    PRECISE("precise"),
    /** Its drop's interval lies wholly beyond the broken cut: it is broken, by how much matters little. */
    BROKEN("broken"),
    /** Every image of the split was scored. */
    EXHAUSTED("exhausted");

    private final String wireName;

    StopReason(String wireName) {
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
