package io.prunestream.pruner.api;

/**
 * The JSON body of {@code POST /checkpoints}: {@code modelPath} is a SavedModel folder relative to the model store's
 * root (or a {@code file:} URI under it); the other fields name the checkpoint and say what the model is.
 */
public record RegisterRequest(String modelPath, String runId, String checkpointId, String dataset,
        String architecture, String signatureKey) {
}
