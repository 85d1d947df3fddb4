package io.prunestream.events;

import java.util.List;

/**
 * A record that is not a valid event. Every problem names the field it is about (a JSON path such as
 * {@code signature.inputShape[0]}, or {@code $} for the record as a whole), so the message can go into a
 * dead-letter header as it is.
 */
public final class InvalidEventException extends Exception {

    private final List<String> problems;

    public InvalidEventException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid event needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public InvalidEventException(String field, String problem) {
        this(List.of(field + ": " + problem));
    }

    /** Each problem as {@code field: what is wrong}. */
    public List<String> problems() {
        return problems;
    }
}
