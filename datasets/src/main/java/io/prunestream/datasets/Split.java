package io.prunestream.datasets;

/** The two splits a dataset may have, by the names folders and messages use. */
public enum Split {
    TRAIN("train"),
    TEST("test");

    private final String label;

    Split(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
