package io.prunestream.pruner;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.Topics;
import io.prunestream.events.TrainingMethod;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.store.ModelDigest;
import io.prunestream.tensorflow.testing.ForeignModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Checkpoint events for models in the test store, and the variant events they become. */
final class Checkpoints {

    static final EventCodec CODEC = new EventCodec();

    private Checkpoints() {
    }

    /** The event of a model of a foreign {@code kind}, its preprocessing declared as its producer would. */
    static CheckpointEvent foreign(String runId, String checkpointId, Path model, String dataset,
            ForeignModel.Kind kind) throws Exception {
        return CheckpointEvent.create(runId, checkpointId, model.toUri().toString().replaceAll("/$", ""),
                ModelDigest.of(model), "external", dataset, 0, 0, Map.of(), new TrainingMethod("external", 0,
                        Map.of()), new ServingSignature("serving_default", kind.inputName(), kind.inputShape(),
                        List.of(kind.outputName()))).withPreprocessing(declared(kind));
    }

    static Preprocessing declared(ForeignModel.Kind kind) {
        return new Preprocessing(kind.scale(), null, null, kind.layout());
    }

    /** The first {@code count} variant events of run {@code run} on the topic (3 minutes at most). */
    static List<VariantEvent> variants(String bootstrap, String run, int count) throws Exception {
        List<VariantEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap, Topics.VARIANTS,
                r -> run.equals(r.key()), count, Duration.ofSeconds(180))) {
            events.add(CODEC.decode(record.value(), VariantEvent.class));
        }
        return events;
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
