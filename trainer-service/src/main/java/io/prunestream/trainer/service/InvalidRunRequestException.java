package io.prunestream.trainer.service;

/** A run request that cannot be used; the message starts with the path of the bad field. */
public final class InvalidRunRequestException extends Exception {

    public InvalidRunRequestException(String message) {
        super(message);
    }
}
