package io.prunestream.pruning;

import java.util.List;
import java.util.stream.IntStream;

/** Prunes a model's kernels to a sparsity with a threshold strategy and a recovery: a pruning method is the pair. */
public final class Pruner {

    private final ThresholdStrategy threshold;
    private final Recovery recovery;

    public Pruner(ThresholdStrategy threshold, Recovery recovery) {
        this.threshold = threshold;
        this.recovery = recovery;
    }

    public ThresholdStrategy threshold() {
        return threshold;
    }

    public Recovery recovery() {
        return recovery;
    }

    /**
     * @param sparsity the share of prunable weights to prune, in (0, 1)
     * @throws PruningException for a sparsity outside (0, 1), no layers, or a NaN or infinite weight
     */
    public PruningResult prune(List<LayerWeights> layers, double sparsity) throws PruningException {
        requireSparsity(sparsity);
        if (layers.isEmpty()) {
            throw new PruningException("there is no prunable layer");
        }
        // Every layer read on its own core; the first bad layer in model order is the one named.
        List<String> nonFinite = layers.parallelStream().map(LayerWeights::nonFinite).toList();
        for (String problem : nonFinite) {
            if (problem != null) {
                throw new PruningException(problem);
            }
        }
        List<Mask> masks = threshold.masks(layers, sparsity);
        // Recovery rewrites each layer on its own: every layer on its own core, the results in layer order.
        List<LayerResult> results = IntStream.range(0, layers.size()).parallel()
                .mapToObj(l -> recover(layers.get(l), masks.get(l))).toList();
        return new PruningResult(recovery.method(), threshold.scope(), recovery.scope(), sparsity, results);
    }

    /**
     * The same pruning for layers read one at a time from {@code source}: for kernels that do not fit in memory
     * together. Whatever needs every layer (a global threshold) is found before this returns; each layer's values are
     * then made when asked for, and the result is complete once every layer has been.
     *
     * @throws PruningException as {@link #prune}; a NaN or infinite weight that a global threshold meets first is
     *         named as it finds it
     */
    public StreamedPruning streamed(LayerSource source, double sparsity) throws PruningException {
        requireSparsity(sparsity);
        if (source.count() == 0) {
            throw new PruningException("there is no prunable layer");
        }
        try {
            return new StreamedPruning(this, source, threshold.masks(checked(source), sparsity), sparsity);
        } catch (NonFinite e) {
            throw new PruningException(e.getMessage());
        }
    }

    private static void requireSparsity(double sparsity) throws PruningException {
        if (!(sparsity > 0 && sparsity < 1)) {
            throw new PruningException("sparsity " + sparsity + " is outside (0, 1)");
        }
    }

    /** One layer pruned under its mask: its new values and its report. */
    LayerResult recover(LayerWeights layer, Mask mask) {
        Recovery.Recovered recovered = recovery.apply(layer, mask);
        long kept = layer.size() - mask.count();
        long storage = (layer.size() + 7L) / 8 + 4 * kept + 4L * recovered.constants();
        return new LayerResult(layer.name(), recovered.values(), layer.size(), mask.count(), mask.threshold(),
                recovered.recoveryValue(), storage);
    }

    /** {@code source}, refusing a layer with a NaN or infinite weight as it reads it. */
    static LayerSource checked(LayerSource source) {
        return new LayerSource() {
            @Override
            public int count() {
                return source.count();
            }

            @Override
            public long size(int index) {
                return source.size(index);
            }

            @Override
            public LayerWeights read(int index) {
                LayerWeights layer = source.read(index);
                String problem = layer.nonFinite();
                if (problem != null) {
                    throw new NonFinite(problem);
                }
                return layer;
            }
        };
    }

    /** A NaN or infinite weight met while a source is read; a {@link PruningException} to callers. */
    static final class NonFinite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFinite(String message) {
            super(message);
        }
    }
}
