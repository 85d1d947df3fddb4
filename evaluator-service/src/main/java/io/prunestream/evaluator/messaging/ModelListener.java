package io.prunestream.evaluator.messaging;

import io.prunestream.evaluator.service.EvaluationFailure;
import io.prunestream.evaluator.service.Evaluations;
import io.prunestream.evaluator.service.EvaluatorMeters;
import io.prunestream.events.FailureReason;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.InvalidEventException;
import io.prunestream.events.VariantEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes checkpoint events (scored as {@code dense}) and variant events. A record is acknowledged only after its
 * evaluation event was; one that cannot be scored is thrown back to the channel's dead-letter strategy.
 */
@ApplicationScoped
public class ModelListener {

    public static final String CHECKPOINTS = "checkpoints-in";
    public static final String VARIANTS = "variants-in";
    private static final Logger LOG = Logger.getLogger(ModelListener.class);

    private final EventCodec codec = new EventCodec();
    private final Evaluations evaluations;
    private final EvaluationPublisher publisher;
    private final EvaluatorMeters meters;

    ModelListener(Evaluations evaluations, EvaluationPublisher publisher, EvaluatorMeters meters) {
        this.evaluations = evaluations;
        this.publisher = publisher;
        this.meters = meters;
    }

    @Incoming(CHECKPOINTS)
    @Blocking
    public void onCheckpoint(byte[] record) throws EvaluationFailure {
        try {
            publisher.publish(evaluations.evaluate(decode(record, CheckpointEvent.class)));
        } catch (EvaluationFailure e) {
            throw refused(e);
        } catch (RuntimeException | Error e) {
            // Not the record's fault, but dead-lettered all the same: say where it happened.
            LOG.errorf(e, "dead-lettering a record after an unexpected %s", e);
            throw e;
        }
    }

    @Incoming(VARIANTS)
    @Blocking
    public void onVariant(byte[] record) throws EvaluationFailure {
        try {
            publisher.publish(evaluations.evaluate(decode(record, VariantEvent.class)));
        } catch (EvaluationFailure e) {
            throw refused(e);
        } catch (RuntimeException | Error e) {
            // Not the record's fault, but dead-lettered all the same: say where it happened.
            LOG.errorf(e, "dead-lettering a record after an unexpected %s", e);
            throw e;
        }
    }

    private <T extends io.prunestream.events.PipelineEvent> T decode(byte[] record, Class<T> type)
            throws EvaluationFailure {
        try {
            return codec.decode(record, type);
        } catch (InvalidEventException e) {
            throw new EvaluationFailure(FailureReason.INVALID_EVENT, e.getMessage(), e);
        }
    }

    private EvaluationFailure refused(EvaluationFailure e) {
        meters.failed(e.reason());
        LOG.warnf("dead-lettering a record: %s", e.getMessage());
        return e;
    }
}
