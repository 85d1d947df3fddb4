package io.prunestream.evaluator.service;


import io.prunestream.datasets.ImageSplit;
import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.events.Calibration;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EvaluationEventBuilder;
import io.prunestream.events.EventArchive;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PipelineEvent;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.ThresholdScope;
import io.prunestream.events.VariantEvent;
import io.prunestream.statistics.Correctness;
import io.prunestream.statistics.PairedComparison;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Scores checkpoints (as {@code dense}) and variants, once each: a model already scored is not scored again, and
 * its stored event is returned to be published again (same event id), so a crash between storing and publishing
 * loses nothing and a redelivery adds no second result.
 */
@ApplicationScoped
public class Evaluations {

    private static final Logger LOG = Logger.getLogger(Evaluations.class);

    /** What to score, whichever event asked for it. */
    private record Target(PipelineEvent source, String checkpointId, String variantId, PruningMethod method,
            ThresholdScope thresholdScope, RecoveryScope recoveryScope, double targetSparsity,
            double achievedSparsity, String modelUri, String modelDigest, ServingSignature signature,
            String dataset, int epoch, ModelCost cost, Integer fineTuneEpochs, Preprocessing preprocessing,
            Calibration calibration) {
    }

    private final ModelStore store;
    private final EventArchive<EvaluationEvent> results;
    private final TestData data;
    private final PreparedInputs prepared;
    private final ScoringSession session;
    private final EvaluatorMeters meters;
    private final EvaluatorConfig config;
    private final Semaphore slots;
    private final DenseResults denseResults;

    Evaluations(EvaluatorConfig config, ModelStore store, TestData data, PreparedInputs prepared,
            ScoringSession session, EvaluatorMeters meters, DenseResults dense) {
        this.denseResults = dense;
        this.prepared = prepared;
        this.session = session;
        this.store = store;
        // One evaluation per variant, kept before it is published (a crash in between republishes the same event).
        this.results = new EventArchive<>(store.archive("evaluations"), EvaluationEvent.class,
                EvaluationEvent::variantId);
        this.data = data;
        this.meters = meters;
        this.config = config;
        this.slots = new Semaphore(Math.max(1, config.concurrency()));
    }

    public EvaluationEvent evaluate(CheckpointEvent c) throws EvaluationFailure {
        return evaluate(new Target(c, c.checkpointId(), c.checkpointId(), PruningMethod.DENSE, null, null, 0, 0,
                c.modelUri(), c.modelDigest(), c.signature(), c.dataset(), c.epoch(), c.cost(), null,
                c.preprocessingOrDefault(), null));
    }

    public EvaluationEvent evaluate(VariantEvent v) throws EvaluationFailure {
        return evaluate(new Target(v, v.checkpointId(), v.variantId(), v.method(), v.thresholdScope(),
                v.recoveryScope(), v.targetSparsity(), v.achievedSparsity(), v.modelUri(), v.modelDigest(),
                v.signature(), v.dataset(), v.epoch(), v.cost(), v.fineTuneEpochs(), v.preprocessingOrDefault(),
                v.calibration()));
    }

    /** Stored evaluations, of one run or of all, oldest first. */
    public List<EvaluationEvent> results(String runId) {
        return results.all(runId);
    }

    private EvaluationEvent evaluate(Target target) throws EvaluationFailure {
        String runId = target.source().runId();
        boolean dense = target.method() == PruningMethod.DENSE;
        Optional<EvaluationEvent> done;
        try {
            done = results.find(runId, target.variantId());
        } catch (IOException e) {
            throw DenseResults.failure("cannot read the stored evaluation of " + target.variantId(), e);
        }
        // A dense model scored before its per-image results were kept (or under another order) is scored again for
        // them, so that its variants are not left waiting; its stored evaluation still goes out, unchanged.
        boolean resultsMissing = dense && done.isPresent() && !denseResults.has(runId, target.checkpointId());
        if (done.isPresent() && !resultsMissing) {
            LOG.infof("%s was scored already; publishing its stored evaluation again", target.variantId());
            return done.get();
        }
        ImageSplit images = data.images(target.dataset());
        Path model = locate(target);
        PreparedSplit split = prepared.split(target.dataset(), images,
                ModelScorer.input(target.signature(), target.preprocessing(), images));
        double level = config.confidenceLevel();
        int classes = data.classes(target.dataset()).size();
        // A model that cannot be scored is refused for what it is before any wait for its dense model's results.
        ModelScorer.checkSignature(model, target.signature(), classes);
        Correctness reference = dense ? null : denseResults.await(runId, target.checkpointId(), target.variantId());
        SequentialStop stop = dense ? null : sequentialStop(reference, split, level);
        Score score;
        slots.acquireUninterruptibly();
        try {
            score = ModelScorer.score(model, target.signature(), target.preprocessing(), split, classes, session,
                    config.latencySamples(), stop);
        } finally {
            slots.release();
        }
        if (dense) {
            denseResults.keep(runId, target.checkpointId(), score.correctness());
            if (done.isPresent()) {
                return done.get();
            }
        }
        EvaluationEvent event = event(target, score, stop, reference, level);
        try {
            results.save(event);
        } catch (IOException e) {
            throw DenseResults.failure("cannot save the evaluation of " + event.variantId(), e);
        }
        meters.evaluated(event);
        LOG.infof("%s: top-1 %.4f top-5 %.4f loss %.4f on %d images%s, %,.0f images/s on %s in %s, %d ms",
                target.variantId(), score.top1(), score.top5(), score.loss(), score.samples(),
                stop == null ? "" : " (stopped: " + event.stopping().reason() + ")", score.imagesPerSecond(),
                score.device(), score.precision(), score.durationMs());
        return event;
    }

    /** The evaluation event of {@code target}'s score, with its uncertainty and, for a variant, its comparison. */
    private static EvaluationEvent event(Target target, Score score, SequentialStop stop, Correctness reference,
            double level) {
        EvaluationEventBuilder builder = EvaluationEvent.builder().runId(target.source().runId())
                .modelUri(target.modelUri())
                .checkpointId(target.checkpointId())
                .variantId(target.variantId()).method(target.method()).thresholdScope(target.thresholdScope())
                .recoveryScope(target.recoveryScope()).targetSparsity(target.targetSparsity())
                .achievedSparsity(target.achievedSparsity()).top1(score.top1()).top5(score.top5()).loss(score.loss())
                .samples(score.samples()).device(score.device()).imagesPerSecond(score.imagesPerSecond())
                .batchSize(score.batchSize()).batchLatencyP50Ms(score.batchLatencyP50Ms())
                .batchLatencyP95Ms(score.batchLatencyP95Ms()).durationMs(score.durationMs()).dataset(target.dataset())
                .epoch(target.epoch()).cost(target.cost()).fineTuneEpochs(target.fineTuneEpochs())
                .latencyMs(score.latencyMs()).input(score.input()).calibration(target.calibration())
                .precision(score.precision()).top1Interval(Uncertainty.top1(score.correctness(), level))
                // What the pruner did to each kernel, so the report can show the allocation beside the score.
                .layers(target.source() instanceof VariantEvent variant ? variant.layers() : null);
        if (stop != null) {
            Uncertainty.sequential(builder, stop, reference, score.correctness());
        } else if (reference != null) {
            compare(builder, reference, score, target, level);
        }
        return builder.build();
    }

    /**
     * The stopping rule of a variant, when sequential evaluation is on and its dense model was scored on this split
     * (not, say, on another sample limit); null to score the whole split.
     */
    private SequentialStop sequentialStop(Correctness reference, PreparedSplit split, double level) {
        EvaluatorConfig.Sequential sequential = config.sequential();
        if (!sequential.enabled() || reference.images() != split.images()) {
            return null;
        }
        return new SequentialStop(reference, sequential.tolerance() / 100, sequential.brokenDrop() / 100, level);
    }

    /**
     * The variant against its dense model on the same images; a dense model scored on another number of images (the
     * sample limit changed between them) cannot be paired, and the evaluation goes out without the comparison.
     */
    private static void compare(EvaluationEventBuilder builder, Correctness denseResults, Score score, Target target,
            double level) {
        if (denseResults.images() != score.correctness().images()) {
            LOG.warnf("%s: scored on %d images, its dense model on %d; published without the comparison",
                    target.variantId(), score.correctness().images(), denseResults.images());
            return;
        }
        PairedComparison comparison = denseResults.against(score.correctness());
        builder.dropVsDense(Uncertainty.drop(comparison, level)).disagreements(Uncertainty.disagreements(comparison));
    }

    private Path locate(Target target) throws EvaluationFailure {
        try {
            return store.verifiedModel(target.modelUri(), target.modelDigest());
        } catch (ModelStoreException e) {
            throw new EvaluationFailure(e.reason(), e.getMessage(), e);
        }
    }
}
