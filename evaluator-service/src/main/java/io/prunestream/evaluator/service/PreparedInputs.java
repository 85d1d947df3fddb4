package io.prunestream.evaluator.service;

import io.prunestream.datasets.ImageSplit;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.SeededSample;
import io.prunestream.evaluator.config.EvaluatorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test splits converted for the inputs models take, batch by batch, within one budget of native memory
 * ({@code evaluator.prepared-bytes}): every variant of a checkpoint takes the same input as the checkpoint, so its
 * batches are decoded and converted once per dataset, input and batch size, not once per model. Images are decoded
 * on background threads ({@code evaluator.decode-threads}) a few batches ahead of the model being scored. A split that
 * does not fit keeps the batches that did, its first ones, and converts the rest again for each model; room is made by
 * dropping the batches of the split used least recently.
 */
@ApplicationScoped
public class PreparedInputs {

    private record Key(String dataset, ModelInput input, int batchSize) {
    }

    private final long budget;
    private final long batchBytes;
    private final int maxBatchSize;
    /** Splits by their key, the least recently used first. */
    private final Map<Key, PreparedSplit> splits = new LinkedHashMap<>(16, 0.75f, true);
    private final ExecutorService decoders;
    private final long orderSeed;
    private long kept;
    private long conversions;

    @Inject
    PreparedInputs(EvaluatorConfig config) {
        this(config.preparedBytes().asLongValue(), config.batchBytes().asLongValue(), config.batchSize(),
                config.decodeThreads(), config.orderSeed());
    }

    PreparedInputs(long budget, long batchBytes, int maxBatchSize, int decodeThreads, long orderSeed) {
        // DeviceAnnouncer refuses a batch size below one at start, by its key.
        this.budget = budget;
        this.batchBytes = batchBytes;
        this.maxBatchSize = Math.max(1, maxBatchSize);
        this.orderSeed = orderSeed;
        this.decoders = Executors.newFixedThreadPool(Math.max(1, decodeThreads), task -> {
            Thread thread = new Thread(task, "input-preparation");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The split of {@code dataset} ({@code data}) prepared for {@code input}, in batches of the configured size or
     * fewer images where that would pass {@code evaluator.batch-bytes}, in the split's seeded random order (which
     * depends on its size and {@code evaluator.order-seed} only, so every input of it has the same).
     */
    public synchronized PreparedSplit split(String dataset, ImageSplit data, ModelInput input) {
        int batchSize = (int) Math.max(1, Math.min(maxBatchSize, batchBytes / (4L * input.valuesPerImage())));
        return splits.computeIfAbsent(new Key(dataset, input, batchSize), key -> {
            conversions++;
            return new PreparedSplit(data, input, batchSize, order(data.size()), decoders, this);
        });
    }

    /** The random order of a split of {@code images}, the first positions a random sample of any size. */
    public int[] order(int images) {
        return SeededSample.of(images, images, orderSeed);
    }

    /**
     * Whether {@code owner} may keep {@code bytes} more: yes when they fit in the budget, after dropping the batches of
     * splits used less recently than {@code owner} if need be.
     */
    synchronized boolean reserve(PreparedSplit owner, long bytes) {
        if (kept + bytes > budget) {
            List<PreparedSplit> older = new ArrayList<>();
            for (PreparedSplit split : splits.values()) {
                if (split == owner) {
                    break;
                }
                older.add(split);
            }
            for (PreparedSplit split : older) {
                if (kept + bytes <= budget) {
                    break;
                }
                kept -= split.dropAll();
            }
        }
        if (kept + bytes > budget) {
            return false;
        }
        kept += bytes;
        return true;
    }

    /** How many splits were set up for conversion since the start (one dropped and needed again counts twice). */
    public synchronized long conversions() {
        return conversions;
    }

    /** Bytes of converted batches kept now. */
    public synchronized long keptBytes() {
        return kept;
    }

    @PreDestroy
    void stop() {
        decoders.shutdownNow();
    }
}
