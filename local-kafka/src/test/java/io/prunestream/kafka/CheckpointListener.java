package io.prunestream.kafka;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.InvalidEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The consuming pattern every service uses, reduced to its core: records arrive as bytes, are decoded (and
 * validated) by the events module, and a decoding failure is thrown so that the channel's dead-letter-queue
 * failure strategy moves the record, with the reason, to the dead-letter topic and goes on.
 */
@ApplicationScoped
public class CheckpointListener {

    static final String CHANNEL = "checkpoints-in";

    private final EventCodec codec = new EventCodec();
    private final List<CheckpointEvent> received = new CopyOnWriteArrayList<>();

    @Incoming(CHANNEL)
    public void onCheckpoint(byte[] record) throws InvalidEventException {
        received.add(codec.decode(record, CheckpointEvent.class));
    }

    List<CheckpointEvent> received() {
        return received;
    }
}
