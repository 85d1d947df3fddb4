package io.prunestream.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every pruning method (threshold scope x recovery) must have, checked on random kernels. */
class PrunerContractTest {

    static Stream<Arguments> methods() {
        List<Arguments> all = new ArrayList<>();
        for (ThresholdStrategy threshold : List.of(new LayerThreshold(), new GlobalThreshold())) {
            for (Recovery recovery : List.of(new ZeroRecovery(), MeanRecovery.perFilter(), MeanRecovery.perLayer())) {
                for (double sparsity : new double[] {0.3, 0.5, 0.7, 0.9}) {
                    all.add(Arguments.of(new Pruner(threshold, recovery), sparsity));
                }
            }
        }
        return all.stream();
    }

    /** The kernel whose output filters are rows (axis 0 of [10, 64]). */
    private static final String TRANSPOSED = "dense-transposed/kernel";

    static List<LayerWeights> model(long seed) {
        Random random = new Random(seed);
        List<LayerWeights> layers = new ArrayList<>();
        long[][] shapes = {{5, 5, 1, 32}, {3, 3, 32, 16}, {144, 64}, {64, 10}};
        for (int l = 0; l < shapes.length; l++) {
            long size = 1;
            for (long d : shapes[l]) {
                size *= d;
            }
            float[] values = new float[(int) size];
            double scale = 1.0 / (l + 1);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * scale);
            }
            layers.add(new LayerWeights("layer" + l + "/kernel", values, shapes[l]));
        }
        // A dense kernel stored [out, in] and read by MatMul(transpose_b): its filters are rows, not the last axis.
        float[] rows = new float[10 * 64];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) random.nextGaussian();
        }
        layers.add(new LayerWeights(TRANSPOSED, rows, new long[] {10, 64}, 10, 64));
        return layers;
    }

    @ParameterizedTest
    @MethodSource("methods")
    void theAchievedSparsityIsTheTarget(Pruner pruner, double sparsity) throws Exception {
        List<LayerWeights> model = model(1);
        PruningResult result = pruner.prune(model, sparsity);

        long total = model.stream().mapToLong(LayerWeights::size).sum();
        assertThat(result.pruned()).isEqualTo(Math.round(sparsity * total)
                + (pruner.threshold() instanceof LayerThreshold ? roundingSlack(model, sparsity, total) : 0));
        if (pruner.threshold() instanceof LayerThreshold) {
            for (int l = 0; l < model.size(); l++) {
                assertThat((double) result.layers().get(l).pruned())
                        .isCloseTo(sparsity * model.get(l).size(), within(1.0));
            }
        }
        assertThat(result.achievedSparsity()).isCloseTo(sparsity, within(1e-3));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void keptWeightsAreBitIdenticalAndPrunedOnesAreTheSmallest(Pruner pruner, double sparsity) throws Exception {
        List<LayerWeights> model = model(2);
        PruningResult result = pruner.prune(model, sparsity);

        for (int l = 0; l < model.size(); l++) {
            float[] before = model.get(l).values();
            float[] after = result.layers().get(l).values();
            float threshold = result.layers().get(l).threshold();
            int below = 0;
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                float magnitude = Math.abs(before[i]);
                below += magnitude < threshold ? 1 : 0;
                if (Float.floatToRawIntBits(after[i]) != Float.floatToRawIntBits(before[i])) {
                    changed++;
                    assertThat(magnitude).as("changed weight %d of layer %d", i, l).isLessThanOrEqualTo(threshold);
                }
                if (magnitude > threshold) {
                    assertThat(Float.floatToRawIntBits(after[i])).as("kept weight %d of layer %d", i, l)
                            .isEqualTo(Float.floatToRawIntBits(before[i]));
                }
            }
            // Everything strictly below the threshold is pruned; ties fill up to the target, no further.
            assertThat(below).isLessThanOrEqualTo((int) result.layers().get(l).pruned());
            assertThat(changed).isLessThanOrEqualTo((int) result.layers().get(l).pruned());
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void meanRecoveryKeepsTheSumOfEachScope(Pruner pruner, double sparsity) throws Exception {
        List<LayerWeights> model = model(3);
        PruningResult result = pruner.prune(model, sparsity);

        for (int l = 0; l < model.size(); l++) {
            LayerWeights layer = model.get(l);
            float[] after = result.layers().get(l).values();
            int scopes = "filter".equals(pruner.recovery().scope()) ? layer.filters() : 1;
            double[] before = new double[scopes];
            double[] now = new double[scopes];
            for (int i = 0; i < after.length; i++) {
                int scope = scopes == 1 ? 0 : layer.name().equals(TRANSPOSED) ? i / 64 : i % scopes;
                before[scope] += layer.values()[i];
                now[scope] += after[i];
            }
            if (pruner.recovery() instanceof MeanRecovery) {
                for (int s = 0; s < scopes; s++) {
                    assertThat(now[s]).as("sum of scope %d of layer %d", s, l).isCloseTo(before[s], within(1e-3));
                }
            } else {
                assertThat(result.layers().get(l).recoveryValue()).isNull();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void pruningTwiceChangesNothing(Pruner pruner, double sparsity) throws Exception {
        List<LayerWeights> model = model(4);
        PruningResult once = pruner.prune(model, sparsity);
        List<LayerWeights> pruned = new ArrayList<>();
        for (int l = 0; l < model.size(); l++) {
            LayerWeights layer = model.get(l);
            pruned.add(new LayerWeights(layer.name(), once.layers().get(l).values(), layer.shape(), layer.filters(),
                    layer.filterStride()));
        }

        PruningResult twice = pruner.prune(pruned, sparsity);

        for (int l = 0; l < model.size(); l++) {
            assertThat(twice.layers().get(l).values()).as("layer %d", l)
                    .containsExactly(once.layers().get(l).values(), within(1e-7f));
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void nonFiniteWeightsAreRefusedByName(Pruner pruner, double sparsity) {
        List<LayerWeights> model = model(5);
        model.get(2).values()[17] = Float.NaN;

        assertThatThrownBy(() -> pruner.prune(model, sparsity))
                .isInstanceOf(PruningException.class)
                .hasMessageContaining("layer2/kernel").hasMessageContaining("NaN").hasMessageContaining("index 17");
    }

    @ParameterizedTest
    @MethodSource("methods")
    void sparsitiesOutsideTheOpenIntervalAreRefused(Pruner pruner, double ignored) {
        for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> pruner.prune(model(6), bad)).hasMessageContaining("sparsity " + bad);
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void storageIsReportedHonestly(Pruner pruner, double sparsity) throws Exception {
        List<LayerWeights> model = model(7);
        PruningResult result = pruner.prune(model, sparsity);

        long total = 0;
        for (int l = 0; l < model.size(); l++) {
            LayerResult layer = result.layers().get(l);
            long maskAndKept = (layer.parameters() + 7) / 8 + 4 * (layer.parameters() - layer.pruned());
            long constants = layer.storageBytes() - maskAndKept;
            switch (pruner.recovery().scope()) {
                case "none" -> assertThat(constants).isZero();
                case "layer" -> assertThat(constants).isEqualTo(layer.pruned() > 0 ? 4 : 0);
                default -> assertThat(constants).isBetween(4L, 4L * model.get(l).filters()); // one per filter hit
            }
            total += layer.storageBytes();
        }
        assertThat(result.storageBytes()).isEqualTo(total).isLessThan(result.denseBytes());
    }

    private static long roundingSlack(List<LayerWeights> model, double sparsity, long total) {
        long perLayer = 0;
        for (LayerWeights layer : model) {
            perLayer += Math.round(sparsity * layer.size());
        }
        return perLayer - Math.round(sparsity * total);
    }
}
