package io.prunestream.tensorflow.training;

/** What a running training reports to, and asks whether to stop. Called on the training thread. */
public interface TrainingListener {

    default void onProgress(Progress progress) {
    }

    /** After each epoch; {@code export} can write the model as it is now, during this call only. */
    void onEpoch(EpochResult result, ModelExport export) throws Exception;

    /** Checked before every step; true stops the training after the current step. */
    default boolean cancelled() {
        return false;
    }
}
