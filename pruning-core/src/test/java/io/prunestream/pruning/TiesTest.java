package io.prunestream.pruning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TiesTest {

    @Test
    void tiesAtTheThresholdArePrunedInPositionOrderUntilTheTarget() throws Exception {
        float[] values = {0.5f, -0.1f, 0.1f, 0.1f, -0.1f, 0.9f, 0.1f, 0.2f, 0.1f, 0.3f};
        LayerWeights layer = new LayerWeights("k", values, new long[] {10, 1});

        PruningResult result = new Pruner(new LayerThreshold(), new ZeroRecovery()).prune(List.of(layer), 0.3);

        assertThat(result.layers().get(0).pruned()).isEqualTo(3);
        assertThat(result.layers().get(0).threshold()).isEqualTo(0.1f);
        assertThat(result.layers().get(0).values())
                .containsExactly(0.5f, 0f, 0f, 0f, -0.1f, 0.9f, 0.1f, 0.2f, 0.1f, 0.3f);
    }

    @Test
    void perFilterMeansUseOnlyTheirFiltersPrunedValues() throws Exception {
        // Two filters (last axis): filter 0 holds 1, -3, 0.1, 0.3; filter 1 holds 2, 0.2, -0.4, 5.
        float[] values = {1f, 2f, -3f, 0.2f, 0.1f, -0.4f, 0.3f, 5f};
        LayerWeights layer = new LayerWeights("k", values, new long[] {4, 2});

        PruningResult result = new Pruner(new LayerThreshold(), MeanRecovery.perFilter()).prune(List.of(layer), 0.5);

        // Pruned: 0.1, 0.2, 0.3, -0.4. Filter 0 mean (0.1 + 0.3) / 2 = 0.2; filter 1 mean (0.2 - 0.4) / 2 = -0.1.
        assertThat(result.layers().get(0).values()).containsExactly(1f, 2f, -3f, -0.1f, 0.2f, -0.1f, 0.2f, 5f);
        assertThat(result.layers().get(0).recoveryValue()).isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-6));
    }
}
