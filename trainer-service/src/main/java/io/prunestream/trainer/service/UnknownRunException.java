package io.prunestream.trainer.service;

/** No run with this id is known. */
public final class UnknownRunException extends Exception {

    public UnknownRunException(String runId) {
        super("no run with id '" + runId + "'");
    }
}
