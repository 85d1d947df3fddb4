package io.prunestream.evaluator.service;

import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.events.ArchiveFiles;
import io.prunestream.events.FailureReason;
import io.prunestream.statistics.Correctness;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;

/**
 * Which images each checkpoint's dense model got right, kept once per checkpoint as a compact bitset beside the
 * stored evaluations ({@code correctness/<runId>/<checkpointId>.<orderSeed>.bits}; in the bucket every replica
 * shares, where there is one), so a variant is compared with it on the same images without scoring the dense model
 * again. The bits are by position in the split's order, so they are kept under the seed of that order: results of
 * another order are not read as if they were of this one.
 */
@ApplicationScoped
class DenseResults {

    private static final long POLL_MILLIS = 500;

    private final ArchiveFiles files;
    private final EvaluatorConfig config;

    DenseResults(ModelStore store, EvaluatorConfig config) {
        this.files = store.archive("correctness");
        this.config = config;
    }

    /** Keeps the dense model's results; before its evaluation is stored, so a stored dense evaluation has them. */
    void keep(String runId, String checkpointId, Correctness correctness) throws EvaluationFailure {
        try {
            files.write(runId, name(checkpointId), correctness.encode());
        } catch (IOException e) {
            throw failure("cannot keep the per-image results of " + checkpointId, e);
        }
    }

    /**
     * The dense model's results, waiting up to {@code evaluator.dense-wait} for them: the checkpoint event that
     * scores it may be behind the variant's on another partition or replica.
     *
     * @throws EvaluationFailure {@code dense-not-scored} when they do not come
     */
    Correctness await(String runId, String checkpointId, String variantId) throws EvaluationFailure {
        long deadline = System.nanoTime() + config.denseWait().toNanos();
        while (true) {
            Optional<byte[]> bits = read(runId, checkpointId);
            if (bits.isPresent()) {
                try {
                    return Correctness.decode(bits.get());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("the per-image results of " + checkpointId + " are unreadable: "
                            + e.getMessage(), e);
                }
            }
            if (System.nanoTime() >= deadline) {
                throw new EvaluationFailure(FailureReason.DENSE_NOT_SCORED, "variant " + variantId + ": its dense"
                        + " model, checkpoint " + checkpointId + " of run " + runId + ", was not scored within "
                        + config.denseWait() + " (evaluator.dense-wait); a variant is not compared with nothing");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the dense results of " + checkpointId, e);
            }
        }
    }

    /** Whether the dense model's results are kept: a dense evaluation stored without them is scored again. */
    boolean has(String runId, String checkpointId) throws EvaluationFailure {
        return read(runId, checkpointId).isPresent();
    }

    private String name(String checkpointId) {
        return checkpointId + "." + config.orderSeed() + ".bits";
    }

    private Optional<byte[]> read(String runId, String checkpointId) throws EvaluationFailure {
        try {
            return files.read(runId, name(checkpointId));
        } catch (IOException e) {
            throw failure("cannot read the per-image results of " + checkpointId, e);
        }
    }

    /** A bucket that keeps failing is named as the store names it; a local disk failing is not the event's fault. */
    static EvaluationFailure failure(String what, IOException e) {
        if (e.getCause() instanceof ModelStoreException store) {
            return new EvaluationFailure(store.reason(), what + ": " + store.getMessage(), store);
        }
        throw new IllegalStateException(what + ": " + e.getMessage(), e);
    }
}
