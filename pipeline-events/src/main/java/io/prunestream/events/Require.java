package io.prunestream.events;

import java.util.regex.Pattern;

/**
 * Invariant checks for the records' constructors. They mirror the JSON Schemas so that an event built in code
 * fails as early, and with the same field name, as one read from Kafka.
 */
final class Require {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private Require() {
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": is required");
        }
        return value;
    }

    static String text(String value, String field) {
        if (present(value, field).isBlank()) {
            throw new IllegalArgumentException(field + ": must not be blank");
        }
        return value;
    }

    static String matching(String value, Pattern pattern, String field) {
        if (!pattern.matcher(present(value, field)).matches()) {
            throw new IllegalArgumentException(field + ": '" + value + "' does not match " + pattern.pattern());
        }
        return value;
    }

    /** A model's location: a {@code file:} URI (a shared file system) or an {@code s3://bucket/prefix} folder. */
    static String modelUri(String value, String field) {
        String uri = present(value, field);
        if (!uri.startsWith("file:") && !uri.regionMatches(true, 0, "s3://", 0, 5)) {
            throw new IllegalArgumentException(field + ": '" + value + "' is neither a file: nor an s3:// URI");
        }
        return value;
    }

    static long atLeast(long value, long min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + ": " + value + " is below " + min);
        }
        return value;
    }

    /** A finite value in [min, max] (or [min, max) when {@code maxExclusive}). */
    static double between(double value, double min, double max, boolean maxExclusive, String field) {
        boolean aboveMax = maxExclusive ? value >= max : value > max;
        if (!Double.isFinite(value) || value < min || aboveMax) {
            throw new IllegalArgumentException(field + ": " + value + " is outside [" + min + ", " + max
                    + (maxExclusive ? ")" : "]"));
        }
        return value;
    }

    /** The checks every event's envelope fields get. */
    static void envelope(String eventId, EventType eventType, EventType expected, int schemaVersion, String runId,
            java.time.Instant occurredAt) {
        matching(eventId, EVENT_ID, "eventId");
        eventType(eventType, expected);
        schemaVersion(schemaVersion);
        matching(runId, ID, "runId");
        present(occurredAt, "occurredAt");
    }

    static void schemaVersion(int version) {
        if (version != PipelineEvent.SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion: unsupported value " + version + " (this code reads "
                    + PipelineEvent.SCHEMA_VERSION + ")");
        }
    }

    static void eventType(EventType actual, EventType expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("eventType: expected '" + expected.wireName() + "' but was '"
                    + (actual == null ? null : actual.wireName()) + "'");
        }
    }
}
