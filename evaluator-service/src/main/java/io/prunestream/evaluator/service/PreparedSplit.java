package io.prunestream.evaluator.service;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A test split as one kind of model input takes it: every batch of images already converted (layout, scaling) to the
 * values fed to the model, so that a model of the same dataset and input is fed without converting anything. The
 * batches are converted in order on a background thread, and each is waited for only when it is fed: the first model
 * scored on a split runs its first batch while the next ones are converted.
 *
 * <p>Each batch is kept as a direct buffer of native-order floats, because that is what DJL's TensorFlow engine copies
 * into a tensor as it is: given a heap array, it first copies it into a fresh direct buffer of its own (a second copy
 * per batch, and native memory that only a garbage collection returns — the evaluator's resident memory grew by
 * hundreds of MB over 100 evaluations once the heap stopped churning).
 */
final class PreparedSplit {

    private final LabeledImages data;
    private final ModelInput input;
    private final int batchSize;
    private final List<CompletableFuture<ByteBuffer>> batches;

    private PreparedSplit(LabeledImages data, ModelInput input, int batchSize,
            List<CompletableFuture<ByteBuffer>> batches) {
        this.data = data;
        this.input = input;
        this.batchSize = batchSize;
        this.batches = batches;
    }

    /** Starts converting {@code data} for {@code input}, in batches of {@code batchSize}, on {@code converter}. */
    static PreparedSplit start(LabeledImages data, ModelInput input, int batchSize, Executor converter) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluator.batch-size: " + batchSize + " must be at least 1");
        }
        List<CompletableFuture<ByteBuffer>> batches = new ArrayList<>();
        for (int from = 0; from < data.count(); from += batchSize) {
            int first = from;
            int n = Math.min(batchSize, data.count() - from);
            batches.add(CompletableFuture.supplyAsync(() -> direct(input.values(data, first, n)), converter));
        }
        return new PreparedSplit(data, input, batchSize, List.copyOf(batches));
    }

    LabeledImages data() {
        return data;
    }

    ModelInput input() {
        return input;
    }

    int batchSize() {
        return batchSize;
    }

    int batches() {
        return batches.size();
    }

    /** The first image of batch {@code b}. */
    int from(int b) {
        return b * batchSize;
    }

    /** How many images batch {@code b} holds. */
    int size(int b) {
        return Math.min(batchSize, data.count() - from(b));
    }

    /**
     * Batch {@code b}'s input values, row-major, as native-order float32 bytes: a view of the kept buffer with its own
     * position, so that readers on several threads do not disturb each other.
     */
    ByteBuffer buffer(int b) {
        return batches.get(b).join().duplicate();
    }

    private static ByteBuffer direct(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(values);
        return buffer;
    }
}
