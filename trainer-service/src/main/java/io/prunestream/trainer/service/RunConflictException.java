package io.prunestream.trainer.service;

/** A run that cannot be started or changed in its current state; the message says why. */
public final class RunConflictException extends Exception {

    public RunConflictException(String message) {
        super(message);
    }
}
