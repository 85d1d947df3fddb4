package io.prunestream.pruning;

/** Weights or settings that cannot be pruned; the message names the layer, index or value. */
public final class PruningException extends Exception {

    public PruningException(String message) {
        super(message);
    }
}
