package io.prunestream.pruner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PruningPlanTest {

    @Test
    void oneVariantPerMethodRecoveryScopeAndSparsity() {
        PruningPlan plan = new PruningPlan(List.of(0.5, 0.9), List.of("threshold", "threshold+mean"), "layer",
                List.of("filter", "layer"));

        assertThat(plan.steps()).extracting(step -> step.variantId("c")).containsExactly(
                "c-t-layer-none-s5000", "c-t-layer-none-s9000",
                "c-tm-layer-filter-s5000", "c-tm-layer-filter-s9000",
                "c-tm-layer-layer-s5000", "c-tm-layer-layer-s9000");
    }

    @Test
    void badValuesAreRefusedByKey() {
        List<Double> half = List.of(0.5);
        List<String> both = List.of("threshold", "threshold+mean");
        assertThatThrownBy(() -> new PruningPlan(half, both, "layer", List.of("filter", "channel")))
                .hasMessage("pruner.recovery-scopes: 'channel' is not filter or layer");
        assertThatThrownBy(() -> new PruningPlan(half, both, "layer", List.of("filter", "filter")))
                .hasMessageStartingWith("pruner.recovery-scopes: [filter, filter]");
        assertThatThrownBy(() -> new PruningPlan(half, List.of("magnitude"), "layer", List.of("filter")))
                .hasMessage("pruner.methods: 'magnitude' is not threshold or threshold+mean");
        assertThatThrownBy(() -> new PruningPlan(List.of(1.0), both, "layer", List.of("filter")))
                .hasMessage("pruner.sparsities: 1.0 is outside (0, 1)");
        assertThatThrownBy(() -> new PruningPlan(half, both, "kernel", List.of("filter")))
                .hasMessage("pruner.threshold-scope: 'kernel' is not layer or global");
    }
}
