package io.prunestream.evaluator.service;

import io.prunestream.datasets.DatasetException;
import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.ModelInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A test split as one kind of model input takes it, batch by batch: each batch's images decoded and converted
 * (channels, size, scaling, layout) to the values fed to the model, on background threads, a few batches ahead of the
 * one being fed. A converted batch is kept while the budget of {@link PreparedInputs} allows, so the next model of the
 * same input is fed without decoding anything; otherwise it is converted again when asked for. A split read only in
 * order (gzip, a compressed array) has its batches converted one after the other.
 *
 * <p>Each batch is a direct buffer of native-order floats, because that is what DJL's TensorFlow engine copies into a
 * tensor as it is: given a heap array, it first copies it into a fresh direct buffer of its own (a second copy per
 * batch, and native memory that only a garbage collection returns).
 */
public final class PreparedSplit {

    /** Batches converted ahead of the one being fed. */
    static final int AHEAD = 3;

    private final ImageSplit data;
    private final ModelInput input;
    private final int batchSize;
    private final Executor decoders;
    private final PreparedInputs budget;
    private final CompletableFuture<ByteBuffer>[] batches;
    private final boolean[] kept;

    @SuppressWarnings("unchecked")
    PreparedSplit(ImageSplit data, ModelInput input, int batchSize, Executor decoders, PreparedInputs budget) {
        this.data = data;
        this.input = input;
        this.batchSize = batchSize;
        this.decoders = decoders;
        this.budget = budget;
        int count = (data.size() + batchSize - 1) / batchSize;
        this.batches = new CompletableFuture[count];
        this.kept = new boolean[count];
    }

    ImageSplit data() {
        return data;
    }

    ModelInput input() {
        return input;
    }

    int batchSize() {
        return batchSize;
    }

    int batches() {
        return batches.length;
    }

    /** The first image of batch {@code b}. */
    int from(int b) {
        return b * batchSize;
    }

    /** How many images batch {@code b} holds. */
    int size(int b) {
        return Math.min(batchSize, data.size() - from(b));
    }

    /**
     * Batch {@code b}'s input values, row-major, as native-order float32 bytes (a view with its own position, so that
     * readers on several threads do not disturb each other); the next batches start converting meanwhile. A corrupt
     * image is an error naming it.
     */
    ByteBuffer buffer(int b) throws DatasetException {
        CompletableFuture<ByteBuffer> batch;
        synchronized (this) {
            for (int ahead = b; ahead < Math.min(batches.length, b + 1 + AHEAD); ahead++) {
                start(ahead);
            }
            batch = batches[b];
        }
        try {
            ByteBuffer values = batch.join().duplicate().order(ByteOrder.nativeOrder());
            release(b);
            return values;
        } catch (CompletionException e) {
            synchronized (this) {
                batches[b] = null;
            }
            if (e.getCause() instanceof DatasetException bad) {
                throw bad;
            }
            throw e;
        }
    }

    private void start(int b) {
        if (batches[b] != null) {
            return;
        }
        CompletableFuture<ByteBuffer> previous = b > 0 ? batches[b - 1] : null;
        if (data.randomAccess() || previous == null) {
            batches[b] = CompletableFuture.supplyAsync(() -> convert(b), decoders);
        } else {
            // In order: a stream read from its start for every batch would be read n times.
            batches[b] = previous.handleAsync((done, failed) -> convert(b), decoders);
        }
    }

    /** After a batch was fed: kept if the budget allows, else forgotten (converted again when next asked for). */
    private void release(int b) {
        // Locks are taken budget first, then split, as the budget takes them when it drops other splits' batches.
        synchronized (budget) {
            synchronized (this) {
                if (kept[b] || batches[b] == null) {
                    return;
                }
                if (budget.reserve(this, 4L * size(b) * input.valuesPerImage())) {
                    kept[b] = true;
                } else {
                    batches[b] = null;
                }
            }
        }
    }

    /** Forgets every kept batch; returns the bytes freed. */
    synchronized long dropAll() {
        long freed = 0;
        for (int b = 0; b < batches.length; b++) {
            if (kept[b]) {
                freed += 4L * size(b) * input.valuesPerImage();
                kept[b] = false;
                batches[b] = null;
            }
        }
        return freed;
    }

    private ByteBuffer convert(int b) {
        try {
            float[] values = input.values(data, from(b), size(b));
            ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
            buffer.asFloatBuffer().put(values);
            return buffer;
        } catch (DatasetException e) {
            throw new CompletionException(e);
        }
    }
}
