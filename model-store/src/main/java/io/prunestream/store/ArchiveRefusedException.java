package io.prunestream.store;

/** An uploaded archive that is not unpacked; the message names the entry or the limit it broke. */
public final class ArchiveRefusedException extends Exception {

    public ArchiveRefusedException(String message) {
        super(message);
    }

    public ArchiveRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
