package io.prunestream.pruner.api;

import io.prunestream.events.Preprocessing;

/**
 * The JSON body of {@code POST /checkpoints}: {@code modelPath} is a SavedModel folder relative to the model store's
 * root (or a {@code file:} URI under it); the other fields name the checkpoint and say what the model is, and
 * {@code preprocessing} how its input is made from pixels (absent: x/255, NHWC).
 */
public record RegisterRequest(String modelPath, String runId, String checkpointId, String dataset,
        String architecture, String signatureKey, Preprocessing preprocessing) {
}
