package io.prunestream.pruner.messaging;

import io.prunestream.events.CheckpointEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes the checkpoint events of models dropped through {@code POST /checkpoints}. */
@Singleton
public class CheckpointPublisher extends KeyedPublisher {

    public static final String CHANNEL = "checkpoints-out";

    CheckpointPublisher(@Channel(CHANNEL) MutinyEmitter<Record<String, String>> emitter) {
        super(emitter);
    }

    public void publish(CheckpointEvent event) {
        send(event);
    }
}
