package io.prunestream.pruner.messaging;

import io.prunestream.events.EventCodec;
import io.prunestream.events.PipelineEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/** Sends events keyed by run id and waits for the broker's acknowledgement. */
abstract class KeyedPublisher {

    private final MutinyEmitter<Record<String, String>> emitter;
    private final EventCodec codec = new EventCodec();

    KeyedPublisher(MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    void send(PipelineEvent event) {
        emitter.sendAndAwait(Record.of(event.runId(), codec.encodeToString(event)));
    }
}
