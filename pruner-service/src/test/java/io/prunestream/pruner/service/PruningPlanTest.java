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
    void structuredMethodsPlanOneVariantPerRatioAndFineTuningLength() {
        PruningPlan plan = new PruningPlan(List.of(0.5), List.of("filter-l1", "tpp"), "layer", List.of("filter"),
                List.of(0.5, 0.9), List.of(0, 2), List.of(0.5), List.of(0), List.of("layer"));

        assertThat(plan.steps()).isEmpty();
        assertThat(plan.structuredSteps()).extracting(step -> step.variantId("c", 0.7)).containsExactly(
                "c-l1-r5000", "c-l1-r5000-ft2", "c-l1-r9000", "c-l1-r9000-ft2", "c-tpp-r7000", "c-tpp-r7000-ft2");
        assertThat(new PruningPlan(List.of(0.5), List.of("threshold"), "layer", List.of("filter")).structuredSteps())
                .isEmpty();
    }

    @Test
    void bottleneckPlansOneVariantPerTargetWithFilterL1BesideItAndACheckpointMayNameItsOwnTargets() {
        PruningPlan plan = new PruningPlan(List.of(0.5), List.of("filter-l1", "bottleneck"), "layer",
                List.of("filter"), List.of(0.7), List.of(0, 1), List.of(0.5, 0.35), List.of(0), List.of("layer"));

        assertThat(plan.bottleneck()).isTrue();
        assertThat(plan.structuredSteps()).extracting(step -> step.variantId("c", 0)).containsExactly(
                "c-l1-r7000", "c-l1-r7000-ft1", "c-bn-f5000", "c-bn-f5000-ft1", "c-l1-f5000", "c-l1-f5000-ft1",
                "c-bn-f3500", "c-bn-f3500-ft1", "c-l1-f3500", "c-l1-f3500-ft1");
        assertThat(plan.structuredSteps(List.of(0.25))).extracting(step -> step.variantId("c", 0))
                .containsExactly("c-l1-r7000", "c-l1-r7000-ft1", "c-bn-f2500", "c-bn-f2500-ft1", "c-l1-f2500",
                        "c-l1-f2500-ft1");
        PruningPlan alone = new PruningPlan(List.of(0.5), List.of("bottleneck"), "layer", List.of("filter"),
                List.of(0.7), List.of(0), List.of(0.5), List.of(0), List.of("layer"));
        assertThat(alone.structuredSteps()).extracting(step -> step.variantId("c", 0))
                .containsExactly("c-bn-f5000");
        assertThatThrownBy(() -> new PruningPlan(List.of(0.5), List.of("bottleneck"), "layer", List.of("filter"),
                List.of(0.7), List.of(0), List.of(0.5, 1.0), List.of(0), List.of("layer"))).hasMessageStartingWith(
                "pruner.bottleneck.flops-targets: 1.0 is outside (0, 1)");
    }

    @Test
    void badGateSettingsAreRefusedByKey() {
        assertThatThrownBy(() -> PlanSettings.requireValid(bottleneck(-1, 0.5, 64)))
                .hasMessage("pruner.bottleneck.beta: -1.0 is not a finite number >= 0");
        assertThatThrownBy(() -> PlanSettings.requireValid(bottleneck(6, 0, 64)))
                .hasMessage("pruner.bottleneck.learning-rate: 0.0 is outside (0, 100]");
        assertThatThrownBy(() -> PlanSettings.requireValid(bottleneck(6, 0.5, 0)))
                .hasMessage("pruner.bottleneck.batch-size: 0 is outside 1..65536");
        PlanSettings.requireValid(bottleneck(6, 0.5, 64));
    }

    private static io.prunestream.pruner.config.PrunerConfig.Bottleneck bottleneck(double beta, double rate,
            int batchSize) {
        return new io.prunestream.pruner.config.PrunerConfig.Bottleneck() {
            @Override
            public List<Double> flopsTargets() {
                return List.of(0.5);
            }

            @Override
            public double beta() {
                return beta;
            }

            @Override
            public double gamma() {
                return 0.2;
            }

            @Override
            public double learningRate() {
                return rate;
            }

            @Override
            public java.util.OptionalInt batches() {
                return java.util.OptionalInt.empty();
            }

            @Override
            public int batchSize() {
                return batchSize;
            }

            @Override
            public long seed() {
                return 42;
            }
        };
    }

    @Test
    void calibratedVariantsArePlannedBesideTheUncalibratedOnesWithIdsOfTheirOwn() {
        PruningPlan plan = new PruningPlan(List.of(0.5), List.of("threshold"), "layer", List.of("filter"),
                List.of(0.5), List.of(0), List.of(0.5), List.of(0, 1024), List.of("layer"));
        assertThat(plan.steps()).extracting(step -> step.variantId("c")).containsExactly("c-t-layer-none-s5000",
                "c-t-layer-none-s5000-cbn1024");
        assertThat(plan.steps()).extracting(PruningPlan.Step::calibrated).containsExactly(false, true);
        assertThatThrownBy(() -> PlanSettings.calibrationImages(calibration(List.of("none", "adabn"), 1024)))
                .hasMessage("pruner.calibration.modes: [none, adabn] must name none, bn or both, each once");
        assertThatThrownBy(() -> PlanSettings.calibrationImages(calibration(List.of("bn"), 1)))
                .hasMessage("pruner.calibration.images: 1 is outside 2..1000000");
        assertThat(PlanSettings.calibrationImages(calibration(List.of("bn", "none"), 256))).containsExactly(256, 0);
    }

    @Test
    void reconstructionPlansOneVariantPerScopeSparsityAndCalibrationAfterTheMagnitudeOnes() {
        PruningPlan plan = new PruningPlan(List.of(0.5, 0.9), List.of("threshold", "obs"), "layer", List.of("filter"),
                List.of(0.5), List.of(0), List.of(0.5), List.of(0, 256), List.of("layer", "global"));
        assertThat(plan.steps()).hasSize(4);
        assertThat(plan.reconstructionSteps()).extracting(step -> step.variantId("c")).containsExactly(
                "c-obs-layer-s5000", "c-obs-layer-s5000-cbn256", "c-obs-layer-s9000", "c-obs-layer-s9000-cbn256",
                "c-obs-global-s5000", "c-obs-global-s5000-cbn256", "c-obs-global-s9000", "c-obs-global-s9000-cbn256");
        assertThat(new PruningPlan(List.of(0.5), List.of("threshold"), "layer", List.of("filter"))
                .reconstructionSteps()).isEmpty();
        assertThatThrownBy(() -> PlanSettings.reconstructionScopes(reconstruction(List.of("layer", "network"), 256)))
                .hasMessage("pruner.reconstruction.scopes: [layer, network] must name layer, global or both, each"
                        + " once");
        assertThatThrownBy(() -> PlanSettings.reconstructionScopes(reconstruction(List.of("layer"), 0)))
                .hasMessage("pruner.reconstruction.images: 0 is outside 2..1000000");
    }

    @Test
    void theReconstructionsOptionsAreCheckedByKey() {
        assertThat(PlanSettings.reconstructionOptions(reconstruction(List.of("global"), 256, "curves", 3, "dense")))
                .isEqualTo(new io.prunestream.tensorflow.calibration.ReconstructionOptions(2048, 3, false, 0.01, true,
                        io.prunestream.tensorflow.calibration.ReconstructionOptions.EXACT_LIMIT, true));
        assertThat(PlanSettings.reconstructionOptions(reconstruction(List.of("global"), 256, "magnitude", 1, "pruned",
                "one-shot")).greedy()).isFalse();
        assertThatThrownBy(() -> PlanSettings.reconstructionScopes(reconstruction(List.of("global"), 256, "curves", 1,
                "pruned", "random"))).hasMessage("pruner.reconstruction.mask: 'random' is neither one-shot nor"
                + " greedy");
        assertThatThrownBy(() -> PlanSettings.reconstructionScopes(reconstruction(List.of("global"), 256, "spdy", 1,
                "pruned"))).hasMessage("pruner.reconstruction.allocation: 'spdy' is neither magnitude nor curves");
        assertThatThrownBy(() -> PlanSettings.reconstructionScopes(reconstruction(List.of("global"), 256, "curves",
                0, "pruned"))).hasMessage("pruner.reconstruction.stages: 0 is outside 1..16");
        assertThatThrownBy(() -> PlanSettings.reconstructionScopes(reconstruction(List.of("global"), 256, "curves",
                1, "noisy"))).hasMessage("pruner.reconstruction.inputs: 'noisy' is neither pruned nor dense");
        assertThat(PlanSettings.reconstructionOptions(reconstruction(List.of("global"), 256, "magnitude", 1, "pruned",
                "greedy", 25_000_000)).exactLimit()).isEqualTo(25_000_000);
        assertThatThrownBy(() -> PlanSettings.reconstructionScopes(reconstruction(List.of("global"), 256, "curves",
                1, "pruned", "greedy", -1))).hasMessage("pruner.reconstruction.exact-limit: -1 is negative (0: every"
                + " kernel swept by SparseGPT)");
    }

    private static io.prunestream.pruner.config.PrunerConfig.Reconstruction reconstruction(List<String> scopes,
            int images) {
        return reconstruction(scopes, images, "magnitude", 1, "pruned");
    }

    private static io.prunestream.pruner.config.PrunerConfig.Reconstruction reconstruction(List<String> scopes,
            int images, String allocation, int stages, String inputs) {
        return reconstruction(scopes, images, allocation, stages, inputs, "greedy");
    }

    private static io.prunestream.pruner.config.PrunerConfig.Reconstruction reconstruction(List<String> scopes,
            int images, String allocation, int stages, String inputs, String mask) {
        return reconstruction(scopes, images, allocation, stages, inputs, mask, 4_000_000);
    }

    private static io.prunestream.pruner.config.PrunerConfig.Reconstruction reconstruction(List<String> scopes,
            int images, String allocation, int stages, String inputs, String mask, long exactLimit) {
        return new io.prunestream.pruner.config.PrunerConfig.Reconstruction() {
            @Override
            public long exactLimit() {
                return exactLimit;
            }

            @Override
            public boolean batchNormWeighted() {
                return true;
            }

            @Override
            public String allocation() {
                return allocation;
            }

            @Override
            public int stages() {
                return stages;
            }

            @Override
            public String inputs() {
                return inputs;
            }

            @Override
            public double damping() {
                return 0.01;
            }

            @Override
            public String mask() {
                return mask;
            }

            @Override
            public List<String> scopes() {
                return scopes;
            }

            @Override
            public int images() {
                return images;
            }

            @Override
            public int maxInputs() {
                return 2048;
            }
        };
    }

    private static io.prunestream.pruner.config.PrunerConfig.Calibration calibration(List<String> modes,
            int images) {
        return new io.prunestream.pruner.config.PrunerConfig.Calibration() {
            @Override
            public List<String> modes() {
                return modes;
            }

            @Override
            public int images() {
                return images;
            }

            @Override
            public long seed() {
                return 42;
            }
        };
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
                .hasMessage("pruner.methods: 'magnitude' is not threshold, threshold+mean, obs, filter-l1, tpp or bottleneck");
        assertThatThrownBy(() -> new PruningPlan(half, List.of("tpp", "tpp"), "layer", List.of("filter")))
                .hasMessage("pruner.methods: [tpp, tpp] names a method twice");
        assertThatThrownBy(() -> new PruningPlan(half, both, "layer", List.of("filter"), List.of(0.5, 1.0),
                List.of(0), half, List.of(0), List.of("layer"))).hasMessage("pruner.structured.ratios: 1.0 is outside (0, 1)");
        assertThatThrownBy(() -> new PruningPlan(half, both, "layer", List.of("filter"), half, List.of(0, -1), half,
                List.of(0), List.of("layer")))
                .hasMessageStartingWith("pruner.structured.fine-tune-epochs: [0, -1] must list distinct epoch counts");
        assertThatThrownBy(() -> new PruningPlan(List.of(1.0), both, "layer", List.of("filter")))
                .hasMessage("pruner.sparsities: 1.0 is outside (0, 1)");
        assertThatThrownBy(() -> new PruningPlan(half, both, "kernel", List.of("filter")))
                .hasMessage("pruner.threshold-scope: 'kernel' is not layer or global");
    }
}
