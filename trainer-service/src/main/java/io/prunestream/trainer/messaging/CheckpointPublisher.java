package io.prunestream.trainer.messaging;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EventCodec;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes checkpoint events to the {@code checkpoints} topic, keyed by run id. */
@ApplicationScoped
public class CheckpointPublisher {

    /** The outgoing channel; its topic is set in application.properties. */
    public static final String CHANNEL = "checkpoints-out";

    private final MutinyEmitter<Record<String, String>> emitter;
    private final EventCodec codec = new EventCodec();

    CheckpointPublisher(@Channel(CHANNEL) MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    /** Sends the event and returns once the broker acknowledged it (or throws). */
    public void publish(CheckpointEvent event) {
        emitter.sendAndAwait(Record.of(event.runId(), codec.encodeToString(event)));
    }
}
