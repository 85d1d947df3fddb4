package io.prunestream.events;

/**
 * Something a service cannot do with an event or an upload, with the reason it is refused or dead-lettered for; the
 * message starts with the reason's code. Libraries throw it where they know the reason, so that no service has to
 * guess it from a message.
 */
public class PipelineFailure extends Exception {

    private final FailureReason reason;

    public PipelineFailure(FailureReason reason, String message) {
        super(reason.code() + ": " + message);
        this.reason = reason;
    }

    public PipelineFailure(FailureReason reason, String message, Throwable cause) {
        super(reason.code() + ": " + message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }

    /** The message without the leading code, to be wrapped in another failure's context. */
    public String detail() {
        return getMessage().substring(reason.code().length() + 2);
    }
}
