package io.prunestream.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Pruning layers read one at a time gives, bit for bit, what pruning them all in memory gives. */
class StreamedPruningTest {

    static List<Object[]> methods() {
        List<Object[]> cases = new ArrayList<>();
        for (double sparsity : new double[] {0.1, 0.5, 0.7, 0.9}) {
            for (String scope : List.of("layer", "global")) {
                for (String recovery : List.of("zero", "mean-filter", "mean-layer")) {
                    cases.add(new Object[] {sparsity, scope, recovery});
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("methods")
    void layersMadeOneAtATimeInAnyOrderEqualThePruningOfAllOfThem(double sparsity, String scope, String recovery)
            throws Exception {
        List<LayerWeights> layers = layers(new Random(Double.hashCode(sparsity) * 31 + scope.hashCode()));
        Pruner pruner = new Pruner("layer".equals(scope) ? new LayerThreshold() : new GlobalThreshold(),
                switch (recovery) {
                    case "zero" -> new ZeroRecovery();
                    case "mean-filter" -> MeanRecovery.perFilter();
                    default -> MeanRecovery.perLayer();
                });
        PruningResult inMemory = pruner.prune(layers, sparsity);
        CountingSource source = new CountingSource(layers);

        StreamedPruning streamed = pruner.streamed(source, sparsity);
        for (int l = layers.size() - 1; l >= 0; l--) {
            LayerResult layer = streamed.layer(l);
            assertThat(layer.values()).as("layer %d", l).containsExactly(inMemory.layers().get(l).values());
            assertThat(layer.threshold()).isEqualTo(inMemory.layers().get(l).threshold());
        }

        PruningResult result = streamed.result();
        assertThat(result.pruned()).isEqualTo(inMemory.pruned());
        assertThat(result.storageBytes()).isEqualTo(inMemory.storageBytes());
        assertThat(result.layers()).allSatisfy(layer -> assertThat(layer.values()).isNull());
        for (int l = 0; l < layers.size(); l++) {
            assertThat(result.layers().get(l).recoveryValue()).isEqualTo(inMemory.layers().get(l).recoveryValue());
        }
        // A global threshold reads every layer three times to find it and once to share the ties; then once each.
        assertThat(source.reads.get()).isEqualTo(layers.size() * ("global".equals(scope) ? 5 : 1));
    }

    @Test
    void aNanMetWhileTheGlobalThresholdIsSoughtIsNamed() {
        float[] values = {0.1f, 0.2f, Float.NaN, 0.4f};
        List<LayerWeights> layers = List.of(new LayerWeights("a", new float[] {1f, 2f}, new long[] {2, 1}),
                new LayerWeights("b", values, new long[] {4, 1}));

        assertThatThrownBy(() -> new Pruner(new GlobalThreshold(), new ZeroRecovery())
                .streamed(new CountingSource(layers), 0.5))
                .isInstanceOf(PruningException.class).hasMessageContaining("layer b holds NaN at index 2");
    }

    @Test
    void aNanInALayerWithItsOwnThresholdIsNamedWhenTheLayerIsMade() throws Exception {
        List<LayerWeights> layers = List.of(new LayerWeights("a", new float[] {1f, Float.POSITIVE_INFINITY},
                new long[] {2, 1}));
        StreamedPruning streamed = new Pruner(new LayerThreshold(), new ZeroRecovery())
                .streamed(new CountingSource(layers), 0.5);

        assertThatThrownBy(() -> streamed.layer(0)).isInstanceOf(PruningException.class)
                .hasMessageContaining("layer a holds Infinity at index 1");
    }

    @Test
    void theResultWaitsForEveryLayer() throws Exception {
        List<LayerWeights> layers = layers(new Random(7));
        StreamedPruning streamed = new Pruner(new LayerThreshold(), new ZeroRecovery())
                .streamed(new CountingSource(layers), 0.5);
        streamed.layer(0);

        assertThatThrownBy(streamed::result).isInstanceOf(IllegalStateException.class)
                .hasMessage("layer 1 of " + layers.size() + " has not been pruned yet");
    }

    /** Layers with many ties (values on a coarse grid) and a run of zeros, of several shapes. */
    private static List<LayerWeights> layers(Random random) {
        List<LayerWeights> layers = new ArrayList<>();
        int[][] shapes = {{3, 3, 4, 8}, {200, 16}, {5, 5, 8, 12}, {64, 10}};
        for (int l = 0; l < shapes.length; l++) {
            long[] shape = java.util.Arrays.stream(shapes[l]).asLongStream().toArray();
            int size = java.util.Arrays.stream(shapes[l]).reduce(1, (a, b) -> a * b);
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                values[i] = i < size / 10 ? 0f : Math.round(random.nextGaussian() * 40) / 100f;
            }
            layers.add(new LayerWeights("layer" + l, values, shape));
        }
        return layers;
    }

    /** Layers handed out as a loader would, counting every read. */
    private static final class CountingSource implements LayerSource {
        private final List<LayerWeights> layers;
        private final AtomicInteger reads = new AtomicInteger();

        CountingSource(List<LayerWeights> layers) {
            this.layers = layers;
        }

        @Override
        public int count() {
            return layers.size();
        }

        @Override
        public long size(int index) {
            return layers.get(index).size();
        }

        @Override
        public LayerWeights read(int index) {
            reads.incrementAndGet();
            LayerWeights layer = layers.get(index);
            // A fresh copy, as a loader reads it again: nothing may depend on the array's identity.
            return new LayerWeights(layer.name(), layer.values().clone(), layer.shape(), layer.filters(),
                    layer.filterStride());
        }
    }
}
