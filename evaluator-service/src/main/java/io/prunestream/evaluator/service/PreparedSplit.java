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
 * A test split as one kind of model input takes it, batch by batch, in a seeded random order of its images (the same
 * for every model fed from it, so that any first part of it is a random sample and two models' results line up image
 * by image): each batch's images decoded and converted (channels, size, scaling, layout) to the values fed to the
 * model, on background threads, a few batches ahead of the one being fed. A converted batch is kept while the budget
 * of {@link PreparedInputs} allows, so the next model of the same input is fed without decoding anything; otherwise it
 * is converted again when asked for. A split read only in order (gzip, a compressed array) is converted a group of
 * batches (up to 64 MB of values) per pass over it, the groups one after the other: a random order's batch draws its
 * images from the whole split, and a pass per batch would read it once per batch.
 *
 * <p>Each batch is a direct buffer of native-order floats, because that is what DJL's TensorFlow engine copies into a
 * tensor as it is: given a heap array, it first copies it into a fresh direct buffer of its own (a second copy per
 * batch, and native memory that only a garbage collection returns).
 */
public final class PreparedSplit {

    /** Batches converted ahead of the one being fed. */
    static final int AHEAD = 3;

    /** The most values (bytes) converted in one pass over a split read only in order. */
    private static final long GROUP_BYTES = 64L << 20;

    private final ImageSplit data;
    private final ModelInput input;
    private final int batchSize;
    private final Executor decoders;
    private final PreparedInputs budget;
    private final CompletableFuture<ByteBuffer>[] batches;
    private final boolean[] kept;
    private final int[] order;
    /** Batches converted together: one for a split read in place, as many as fit in a pass for one read in order. */
    private final int groupBatches;
    /** The last pass over a split read in order: the next waits for it (one cursor reads the stream). */
    private CompletableFuture<float[]> lastPass;

    /**
     * @param order the split's images in the order they are fed: {@code order[p]} is the image at position {@code p}
     */
    @SuppressWarnings("unchecked")
    PreparedSplit(ImageSplit data, ModelInput input, int batchSize, int[] order, Executor decoders,
            PreparedInputs budget) {
        this.data = data;
        this.input = input;
        this.batchSize = batchSize;
        this.order = order;
        this.decoders = decoders;
        this.budget = budget;
        int count = (data.size() + batchSize - 1) / batchSize;
        this.batches = new CompletableFuture[count];
        this.kept = new boolean[count];
        long batchBytes = 4L * batchSize * input.valuesPerImage();
        this.groupBatches = data.randomAccess() ? 1 : (int) Math.max(1, Math.min(count, GROUP_BYTES / batchBytes));
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

    /** The position, in the split's order, of batch {@code b}'s first image. */
    int from(int b) {
        return b * batchSize;
    }

    /** The image of the split at {@code position} in its order. */
    int image(int position) {
        return order[position];
    }

    /** How many images the split has. */
    int images() {
        return order.length;
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

    /** Starts converting batch {@code b}'s group, its batches not already there. */
    private void start(int b) {
        if (batches[b] != null) {
            return;
        }
        int first = b / groupBatches * groupBatches;
        int last = Math.min(batches.length, first + groupBatches);
        int images = from(last - 1) + size(last - 1) - from(first);
        CompletableFuture<float[]> pass;
        if (lastPass == null || data.randomAccess()) {
            pass = CompletableFuture.supplyAsync(() -> convert(from(first), images), decoders);
        } else {
            pass = lastPass.handleAsync((done, failed) -> convert(from(first), images), decoders);
        }
        lastPass = data.randomAccess() ? null : pass;
        for (int g = first; g < last; g++) {
            if (batches[g] == null) {
                int offset = (from(g) - from(first)) * input.valuesPerImage();
                int length = size(g) * input.valuesPerImage();
                batches[g] = pass.thenApply(values -> direct(values, offset, length));
            }
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

    /** The input values of the images at positions {@code from .. from + n - 1} of the order, in one pass. */
    private float[] convert(int from, int n) {
        try {
            return input.values(data, order, from, n);
        } catch (DatasetException e) {
            throw new CompletionException(e);
        }
    }

    private static ByteBuffer direct(float[] values, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(values, offset, length);
        return buffer;
    }
}
