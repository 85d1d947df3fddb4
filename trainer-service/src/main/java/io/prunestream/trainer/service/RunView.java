package io.prunestream.trainer.service;

import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.Progress;
import java.time.Instant;
import java.util.List;

/** A run as {@code GET /runs/{id}} shows it: status, progress, per-epoch metrics, checkpoints, and any error. */
public record RunView(String runId, RunStatus status, String method, Instant createdAt, Instant startedAt,
        Instant finishedAt, Progress progress, List<EpochResult> epochs, List<CheckpointRef> checkpoints,
        String error, RunRequest request) {
}
