package io.prunestream.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The radix selection and the masks built on it against a sort: the same threshold at every rank, the same weights
 * pruned (ties by layer, then position), on random and adversarial inputs — ties, zeros of both signs, subnormals,
 * the largest floats, arrays across chunk boundaries, empty layers.
 */
class RadixSelectTest {

    /** The kinds of input: each fills an array of n with a seeded generator. */
    static final List<String> KINDS = List.of("gaussian", "few-values", "zeros", "signed-zeros", "subnormal",
            "extremes", "mixed");

    static float[] generate(String kind, int n, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = switch (kind) {
                case "gaussian" -> (float) random.nextGaussian();
                case "few-values" -> (random.nextInt(5) - 2) * 0.25f;
                case "zeros" -> random.nextInt(10) == 0 ? 1f : 0f;
                case "signed-zeros" -> random.nextBoolean() ? -0.0f : random.nextInt(3) == 0 ? 0.0f : -1e-3f;
                case "subnormal" -> Float.MIN_VALUE * random.nextInt(1000) * (random.nextBoolean() ? 1 : -1);
                case "extremes" -> random.nextBoolean() ? Float.MAX_VALUE : -Float.MIN_NORMAL;
                default -> random.nextInt(4) == 0 ? -0.0f : (float) (random.nextGaussian() * Math.pow(10,
                        random.nextInt(60) - 40));
            };
        }
        return values;
    }

    private static float[] concatSorted(List<float[]> arrays) {
        int total = arrays.stream().mapToInt(a -> a.length).sum();
        float[] all = new float[total];
        int offset = 0;
        for (float[] a : arrays) {
            for (float v : a) {
                all[offset++] = Math.abs(v);
            }
        }
        Arrays.sort(all);
        return all;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 1000, RadixSelect.CHUNK + 3})
    void agreesWithASortAtEveryKindOfInputAndRank(int n) {
        Random random = new Random(n);
        for (String kind : KINDS) {
            List<float[]> arrays = List.of(generate(kind, n, random), new float[0], generate(kind, n / 2 + 1, random));
            float[] sorted = concatSorted(arrays);
            for (long k : new long[] {0, sorted.length / 3, sorted.length / 2, sorted.length - 1,
                    random.nextInt(sorted.length)}) {
                assertThat(RadixSelect.kthSmallestMagnitude(arrays, k)).as("%s, n %d, k %d", kind, n, k)
                        .isEqualTo(sorted[(int) k]);
            }
        }
    }

    @Test
    void negativeZeroIsAZeroMagnitudeAndTheInputIsNotChanged() {
        float[] values = {-0.0f, 3f, -2f, 0.0f, -0.0f};
        float[] copy = values.clone();
        assertThat(Float.floatToRawIntBits(RadixSelect.kthSmallestMagnitude(List.of(values), 2)))
                .isEqualTo(Float.floatToRawIntBits(0.0f));
        assertThat(RadixSelect.kthSmallestMagnitude(List.of(values), 3)).isEqualTo(2f);
        assertThat(values).containsExactly(copy);
    }

    @Test
    void aRankOutsideTheWeightsAndANaNAtTheRankAreRefused() {
        assertThatThrownBy(() -> RadixSelect.kthSmallestMagnitude(List.of(new float[3]), 3))
                .hasMessage("k: 3 is outside [0, 3)");
        assertThatThrownBy(() -> RadixSelect.kthSmallestMagnitude(List.of(new float[] {1f, Float.NaN}), 1))
                .hasMessageContaining("NaN");
    }

    /** Both strategies prune exactly the weights a stable sort by magnitude would, layer by layer or over all. */
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 0.7, 0.9})
    void masksAreTheFirstWeightsOfAStableSortByMagnitude(double sparsity) {
        Random random = new Random(Double.hashCode(sparsity));
        for (String kind : KINDS) {
            List<LayerWeights> layers = new ArrayList<>();
            for (int size : new int[] {1, 37, 4096, 1000}) {
                layers.add(new LayerWeights("k" + layers.size(), generate(kind, size, random), new long[] {size, 1}));
            }
            List<Mask> global = new GlobalThreshold().masks(layers, sparsity);
            List<BitSet> expected = reference(layers, Magnitudes.pruneCount(layers.stream()
                    .mapToLong(LayerWeights::size).sum(), sparsity));
            for (int l = 0; l < layers.size(); l++) {
                assertThat(global.get(l).pruned()).as("%s global, layer %d", kind, l).isEqualTo(expected.get(l));
                LayerWeights layer = layers.get(l);
                assertThat(new LayerThreshold().masks(List.of(layer), sparsity).get(0).pruned())
                        .as("%s per layer, layer %d", kind, l)
                        .isEqualTo(reference(List.of(layer), Magnitudes.pruneCount(layer.size(), sparsity)).get(0));
            }
        }
    }

    /** The first {@code count} weights by (magnitude, layer, position). */
    static List<BitSet> reference(List<LayerWeights> layers, int count) {
        List<int[]> order = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            for (int i = 0; i < layers.get(l).values().length; i++) {
                order.add(new int[] {l, i});
            }
        }
        order.sort(Comparator.comparingDouble((int[] p) -> Math.abs(layers.get(p[0]).values()[p[1]])));
        List<BitSet> masks = new ArrayList<>();
        layers.forEach(layer -> masks.add(new BitSet()));
        order.stream().limit(count).forEach(p -> masks.get(p[0]).set(p[1]));
        return masks;
    }
}
