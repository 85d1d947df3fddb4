package io.prunestream.trainer.service;

import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One run's state, changed by the training thread and read by HTTP threads. */
final class Run {

    private final String id;
    private RunRequest request;
    private final Instant createdAt = Instant.now();
    private RunStatus status = RunStatus.QUEUED;
    private Instant startedAt;
    private Instant finishedAt;
    private Progress progress;
    private final List<EpochResult> epochs = new ArrayList<>();
    private final List<CheckpointRef> checkpoints = new ArrayList<>();
    private String error;
    private volatile boolean cancelRequested;

    Run(String id, RunRequest request) {
        this.id = id;
        this.request = request;
    }

    String id() {
        return id;
    }

    synchronized RunRequest request() {
        return request;
    }

    /** The request with its spec fitted to the dataset, once the run has read it. */
    synchronized void fitted(RunRequest fitted) {
        request = fitted;
    }

    synchronized RunStatus status() {
        return status;
    }

    /** Moves a queued run to RUNNING; false if it was cancelled while it waited. */
    synchronized boolean start() {
        if (status != RunStatus.QUEUED) {
            return false;
        }
        status = RunStatus.RUNNING;
        startedAt = Instant.now();
        return true;
    }

    synchronized void progress(Progress value) {
        progress = value;
    }

    synchronized void epoch(EpochResult result) {
        epochs.add(result);
    }

    synchronized void checkpoint(CheckpointRef checkpoint) {
        checkpoints.add(checkpoint);
    }

    synchronized void finish(RunStatus outcome, String failure) {
        status = outcome;
        error = failure;
        finishedAt = Instant.now();
    }

    /**
     * Asks the run to stop: a queued run is cancelled at once, a running one after its current step.
     *
     * @return false if the run had already finished
     */
    synchronized boolean cancel() {
        if (status.finished()) {
            return false;
        }
        cancelRequested = true;
        if (status == RunStatus.QUEUED) {
            finish(RunStatus.CANCELLED, null);
        }
        return true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    synchronized RunView view() {
        return new RunView(id, status, request.training().method().label(), createdAt, startedAt, finishedAt,
                progress, List.copyOf(epochs), List.copyOf(checkpoints), error, request);
    }
}
