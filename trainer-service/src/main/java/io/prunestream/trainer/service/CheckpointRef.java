package io.prunestream.trainer.service;

/** A checkpoint a run published, and the bytes of its SavedModel folder. */
public record CheckpointRef(String checkpointId, int epoch, String modelUri, String modelDigest, long fileBytes) {
}
