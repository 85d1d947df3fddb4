package io.prunestream.datasets;

/** A dataset name the catalogue does not hold; the message names it and the names it does hold. */
public final class UnknownDatasetException extends Exception {

    public UnknownDatasetException(String message) {
        super(message);
    }
}
