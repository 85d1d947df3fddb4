package io.prunestream.pruner;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.TrainingMethod;
import io.prunestream.store.ModelDigest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Checkpoint events for models in the test store. */
final class Checkpoints {

    static final EventCodec CODEC = new EventCodec();

    private Checkpoints() {
    }

    static CheckpointEvent event(String runId, String checkpointId, Path model) throws Exception {
        return event(runId, checkpointId, model.toUri().toString().replaceAll("/$", ""), ModelDigest.of(model));
    }

    static CheckpointEvent event(String runId, String checkpointId, String uri, String digest) {
        return event(runId, checkpointId, uri, digest, "small-cnn");
    }

    static CheckpointEvent event(String runId, String checkpointId, String uri, String digest,
            String architecture) {
        return CheckpointEvent.create(runId, checkpointId, uri, digest, architecture, "synthetic", 1, 10,
                Map.of("testAccuracy", 0.9), new TrainingMethod("hyperspherical+l1", 3, Map.of("lambda", 10.0)),
                new ServingSignature("serving_default", "image", List.of(-1L, 28L, 28L, 1L),
                        List.of("logits", "probabilities")));
    }
}
