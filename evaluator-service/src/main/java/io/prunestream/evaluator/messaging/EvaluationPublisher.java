package io.prunestream.evaluator.messaging;

import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes evaluation events to the {@code evaluations} topic, keyed by run id, and waits for the ack. */
@Singleton
public class EvaluationPublisher {

    public static final String CHANNEL = "evaluations-out";

    private final MutinyEmitter<Record<String, String>> emitter;
    private final EventCodec codec = new EventCodec();

    EvaluationPublisher(@Channel(CHANNEL) MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    public void publish(EvaluationEvent event) {
        emitter.sendAndAwait(Record.of(event.runId(), codec.encodeToString(event)));
    }
}
