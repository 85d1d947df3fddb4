package io.prunestream.pruning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-pass selection against a sort, on inputs large enough to be sampled: the same threshold and the same weights
 * pruned (ties by layer, then position) on every kind of {@link RadixSelectTest}'s inputs, whether the sample brackets
 * the threshold, brackets one tied value, or misses (a sample of a few weights misses often, and the selection must
 * then redo it exactly).
 */
class SampledSelectTest {

    private static List<LayerWeights> layers(String kind, Random random) {
        List<LayerWeights> layers = new ArrayList<>();
        for (int size : new int[] {37, RadixSelect.CHUNK + 100, 0, 1, 70_001}) {
            layers.add(new LayerWeights("k" + layers.size(), RadixSelectTest.generate(kind, size, random),
                    new long[] {size, 1}, 1, 1));
        }
        return layers;
    }

    /** The first {@code count} weights by (magnitude, layer, position), through one sort of packed keys. */
    private static List<BitSet> reference(List<LayerWeights> layers, int count) {
        int total = layers.stream().mapToInt(LayerWeights::size).sum();
        long[] keys = new long[total];
        int[] starts = new int[layers.size()];
        int n = 0;
        for (int l = 0; l < layers.size(); l++) {
            starts[l] = n;
            for (float value : layers.get(l).values()) {
                keys[n] = (long) (Float.floatToRawIntBits(value) & 0x7FFFFFFF) << 32 | n;
                n++;
            }
        }
        Arrays.sort(keys);
        List<BitSet> masks = new ArrayList<>();
        layers.forEach(layer -> masks.add(new BitSet()));
        for (int i = 0; i < count; i++) {
            int position = (int) keys[i];
            int l = layers.size() - 1;
            while (starts[l] > position || layers.get(l).size() == 0) {
                l--;
            }
            masks.get(l).set(position - starts[l]);
        }
        return masks;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 8, 64, SampledSelect.SAMPLE})
    void prunesWhatASortPrunesWhateverTheSample(int sampleSize) {
        Random random = new Random(sampleSize);
        for (String kind : RadixSelectTest.KINDS) {
            List<LayerWeights> layers = layers(kind, random);
            int total = layers.stream().mapToInt(LayerWeights::size).sum();
            for (double sparsity : new double[] {0.001, 0.1, 0.5, 0.7, 0.9, 0.999}) {
                int count = Magnitudes.pruneCount(total, sparsity);
                SampledSelect.Selected selected = SampledSelect.select(layers, count, sampleSize);
                List<BitSet> expected = reference(layers, count);
                int marked = 0;
                for (int l = 0; l < layers.size(); l++) {
                    assertThat(selected.masks()[l]).as("%s at %s, layer %d", kind, sparsity, l)
                            .isEqualTo(expected.get(l));
                    marked += selected.masks()[l].cardinality();
                }
                assertThat(marked).isEqualTo(count);
                assertThat(selected.threshold()).as("%s at %s", kind, sparsity)
                        .isEqualTo(RadixSelect.kthSmallestMagnitude(layers.stream().map(LayerWeights::values)
                                .toList(), count - 1));
            }
        }
    }

    @Test
    void bothStrategiesPruneWhatASortPrunesOnLargeLayers() {
        Random random = new Random(7);
        for (String kind : RadixSelectTest.KINDS) {
            List<LayerWeights> layers = layers(kind, random);
            int total = layers.stream().mapToInt(LayerWeights::size).sum();
            List<Mask> global = new GlobalThreshold().masks(layers, 0.7);
            List<BitSet> expected = reference(layers, Magnitudes.pruneCount(total, 0.7));
            List<Mask> perLayer = new LayerThreshold().masks(layers, 0.7);
            for (int l = 0; l < layers.size(); l++) {
                LayerWeights layer = layers.get(l);
                assertThat(global.get(l).pruned()).as("%s global, layer %d", kind, l).isEqualTo(expected.get(l));
                assertThat(perLayer.get(l).pruned()).as("%s per layer, layer %d", kind, l)
                        .isEqualTo(reference(List.of(layer), Magnitudes.pruneCount(layer.size(), 0.7)).get(0));
            }
        }
    }

    @Test
    void theWeightsAreOnlyRead() {
        List<LayerWeights> layers = layers("mixed", new Random(3));
        List<float[]> copies = layers.stream().map(layer -> layer.values().clone()).toList();
        SampledSelect.select(layers, 100_000);
        for (int l = 0; l < layers.size(); l++) {
            assertThat(layers.get(l).values()).containsExactly(copies.get(l));
        }
    }
}
