package io.prunestream.pruner.messaging;

import io.prunestream.events.FailureReason;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.InvalidEventException;
import io.prunestream.events.VariantEvent;
import io.prunestream.pruner.service.CheckpointPruner;
import io.prunestream.pruner.service.PruneFailure;
import io.prunestream.pruner.service.PrunerMeters;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes checkpoint events, one at a time. Each variant event is published, and acknowledged by the broker, as soon
 * as its variant is written; the record is acknowledged (and its offset committed) only after the last. A record that
 * cannot be pruned is thrown back, and the channel's dead-letter strategy moves it to {@code checkpoints-dlq} with the
 * reason.
 */
@ApplicationScoped
public class CheckpointListener {

    public static final String CHANNEL = "checkpoints-in";
    private static final Logger LOG = Logger.getLogger(CheckpointListener.class);

    private final EventCodec codec = new EventCodec();
    private final CheckpointPruner pruner;
    private final VariantPublisher publisher;
    private final PrunerMeters meters;

    CheckpointListener(CheckpointPruner pruner, VariantPublisher publisher, PrunerMeters meters) {
        this.pruner = pruner;
        this.publisher = publisher;
        this.meters = meters;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onCheckpoint(byte[] record) throws PruneFailure {
        try {
            CheckpointEvent checkpoint = decode(record);
            List<VariantEvent> variants = pruner.prune(checkpoint, publisher::publish);
            LOG.infof("checkpoint %s: published %d variants", checkpoint.checkpointId(), variants.size());
        } catch (PruneFailure e) {
            meters.failure(e.reason());
            LOG.warnf("dead-lettering a checkpoint record: %s", e.getMessage());
            throw e;
        } catch (RuntimeException | Error e) {
            // Not the record's fault, but dead-lettered all the same: say where it happened.
            LOG.errorf(e, "dead-lettering a checkpoint record after an unexpected %s", e);
            throw e;
        }
    }

    private CheckpointEvent decode(byte[] record) throws PruneFailure {
        try {
            return codec.decode(record, CheckpointEvent.class);
        } catch (InvalidEventException e) {
            throw new PruneFailure(FailureReason.INVALID_EVENT, e.getMessage(), e);
        }
    }
}
