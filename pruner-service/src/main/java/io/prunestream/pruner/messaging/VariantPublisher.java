package io.prunestream.pruner.messaging;

import io.prunestream.events.VariantEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes variant events to the {@code variants} topic. */
@Singleton
public class VariantPublisher extends KeyedPublisher {

    public static final String CHANNEL = "variants-out";

    VariantPublisher(@Channel(CHANNEL) MutinyEmitter<Record<String, String>> emitter) {
        super(emitter);
    }

    public void publish(VariantEvent event) {
        send(event);
    }
}
