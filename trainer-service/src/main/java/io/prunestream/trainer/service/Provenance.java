package io.prunestream.trainer.service;

import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.TrainingSpec;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code provenance.json} beside each checkpoint records: which run and epoch, the full spec and seed, the
 * dataset, the metrics, the library versions and the source revision (when known), so the model can be traced and
 * trained again.
 */
public record Provenance(String runId, String checkpointId, int epoch, long step, String method, long seed,
        TrainingSpec spec, String parentRun, String dataset, String datasetDir, EpochResult metrics,
        Map<String, String> versions, String gitCommit, Instant createdAt) {
}
