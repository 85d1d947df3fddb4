package io.prunestream.evaluator.service;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.evaluator.config.EvaluatorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The test splits already converted for the inputs models take, the most recently used kept: every variant of a
 * checkpoint takes the same input as the checkpoint, so the split is converted once per dataset, input shape, layout,
 * preprocessing and batch size, not once per model. A kept split costs its values in native memory (direct buffers;
 * Fashion-MNIST's 10,000 test images as floats: 31 MB), hence the bound {@code evaluator.prepared-splits}.
 */
@ApplicationScoped
public class PreparedInputs {

    private record Key(String dataset, ModelInput input, int batchSize) {
    }

    private final int capacity;
    private final Map<Key, PreparedSplit> splits;
    private long conversions;
    /** One thread: a split's batches are converted in the order they are fed, beside the inference. */
    private final ExecutorService converter = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "input-preparation");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    PreparedInputs(EvaluatorConfig config) {
        this(config.preparedSplits());
    }

    PreparedInputs(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.splits = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, PreparedSplit> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The split of {@code dataset} ({@code data}) prepared for {@code input}, prepared now if it is not kept. */
    public synchronized PreparedSplit split(String dataset, LabeledImages data, ModelInput input, int batchSize) {
        return splits.computeIfAbsent(new Key(dataset, input, batchSize), key -> {
            conversions++;
            return PreparedSplit.start(data, input, batchSize, converter);
        });
    }

    /** How many splits were converted since the start (a split dropped and needed again counts twice). */
    public synchronized long conversions() {
        return conversions;
    }

    /** How many splits are kept now. */
    public synchronized int kept() {
        return splits.size();
    }

    @PreDestroy
    void stop() {
        converter.shutdownNow();
    }
}
