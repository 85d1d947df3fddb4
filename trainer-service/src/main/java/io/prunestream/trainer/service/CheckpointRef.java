package io.prunestream.trainer.service;

/** A checkpoint a run published. */
public record CheckpointRef(String checkpointId, int epoch, String modelUri, String modelDigest) {
}
