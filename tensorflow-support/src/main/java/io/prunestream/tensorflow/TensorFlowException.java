package io.prunestream.tensorflow;

/** A TensorFlow or DJL failure, wrapped with the model path or setting it concerns. */
public final class TensorFlowException extends Exception {

    public TensorFlowException(String message) {
        super(message);
    }

    public TensorFlowException(String message, Throwable cause) {
        super(message, cause);
    }
}
