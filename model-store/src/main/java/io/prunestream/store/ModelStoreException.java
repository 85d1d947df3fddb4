package io.prunestream.store;

/** A model URI or directory the store refuses; the message names the URI or path and why. */
public final class ModelStoreException extends Exception {

    public ModelStoreException(String message) {
        super(message);
    }

    public ModelStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
