package io.prunestream.tensorflow.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelRunner;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.MethodSpec;
import io.prunestream.tensorflow.training.ModelExport;
import io.prunestream.tensorflow.training.NetworkSpec;
import io.prunestream.tensorflow.training.OptimizerSpec;
import io.prunestream.tensorflow.training.TppSpec;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPP training on a small ResNet: the split is chosen once, after {@code splitEpochs}; at the end the chosen
 * filters and their batch-norm scale and shift are exactly zero, so removing them changes no output; and the smaller
 * network can be fine-tuned from its weights.
 */
class TppTrainingTest {

    private static LabeledImages train;
    private static LabeledImages test;

    @TempDir
    Path dir;

    @BeforeAll
    static void data() throws Exception {
        TensorFlowRuntime.start();
        train = SyntheticImages.generate(256, 28, 1);
        test = SyntheticImages.generate(64, 28, 2);
    }

    @Test
    void theChosenFiltersEndAtZeroAndRemovingThemChangesNothing() throws Exception {
        TrainingSpec spec = new TrainingSpec(new ArchitectureSpec("resnet", 8, 4, null, null),
                new OptimizerSpec("sgd", 0.05, null, 5e-4, "cosine", null, null),
                new MethodSpec(null, null, null, null, null, null, null, new TppSpec(0.5, 1.0, 1.0, null, null)), 32,
                3, 7L, 8);
        List<List<int[]>> removedPerEpoch = new ArrayList<>();
        List<Path> checkpoints = new ArrayList<>();
        List<NetworkSpec> networks = new ArrayList<>();
        List<EpochResult> epochs = new Trainer(spec, train, test).run((result, export) -> {
            removedPerEpoch.add(export.removedFilters());
            Path target = dir.resolve("e" + result.epoch());
            export.exportTo(target);
            checkpoints.add(target);
            networks.add(export.network());
        });

        assertThat(epochs).hasSize(3).allSatisfy(e -> assertThat(e.trainLoss()).isFinite());
        assertThat(removedPerEpoch.get(0)).as("no split before splitEpochs").isNull();
        assertThat(removedPerEpoch.get(1)).isNotNull();
        for (int g = 0; g < 3; g++) {
            assertThat(removedPerEpoch.get(2).get(g)).as("the split never changes")
                    .containsExactly(removedPerEpoch.get(1).get(g));
        }
        NetworkSpec network = networks.get(2);
        List<FilterGroup> groups = NetworkStructure.of(network).filterGroups();
        assertThat(removedPerEpoch.get(2)).extracting(r -> r.length).containsExactly(2, 4, 8);

        ModelWeights last = SavedModelReader.read(checkpoints.get(2));
        List<int[]> kept = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            FilterGroup group = groups.get(g);
            int[] removed = removedPerEpoch.get(2).get(g);
            for (String producer : group.producers()) {
                if (producer.endsWith("/kernel") || producer.endsWith("/gamma") || producer.endsWith("/beta")) {
                    float[] values = last.get(producer).values();
                    for (int i = 0; i < values.length; i++) {
                        if (contains(removed, i % group.filters())) {
                            assertThat(values[i]).as("%s[%d]", producer, i).isZero();
                        }
                    }
                }
            }
            kept.add(complement(removed, group.filters()));
        }

        Path smaller = dir.resolve("smaller");
        FilterRemoval.Smaller removal = FilterRemoval.remove(last, NetworkStructure.of(network), kept, smaller);
        assertThat(logits(smaller)).containsExactly(logits(checkpoints.get(2)), within(1e-4f));

        TrainingSpec fineTune = new TrainingSpec(network.architecture(),
                new OptimizerSpec("sgd", 0.01, null, null, "cosine", null, null), MethodSpec.plain(), 32, 1, 3L, 8);
        List<Map<String, float[]>> tuned = new ArrayList<>();
        List<EpochResult> tuning = Trainer.fineTuning(fineTune, removal.network(), removal.weights(), train, test)
                .run((result, export) -> tuned.add(export.weights()));
        assertThat(tuning).hasSize(1);
        String inner = groups.get(0).producers().get(0);
        assertThat(tuned.get(0).get(inner)).hasSize(removal.weights().get(inner).length)
                .isNotEqualTo(removal.weights().get(inner));
    }

    @Test
    void tppRefusesUnitNormAPhaseThatDoesNotFitAndANetworkWithoutBlocks() {
        assertThatThrownBy(() -> new MethodSpec(true, null, null, null, null, null, null,
                new TppSpec(0.5, null, null, null, null)))
                .hasMessageStartingWith("method.unitNorm: true cannot go with method.tpp");
        assertThatThrownBy(() -> new TppSpec(1.0, null, null, null, null))
                .hasMessage("method.tpp.ratio: 1.0 is outside (0, 1)");
        assertThatThrownBy(() -> new TrainingSpec(new ArchitectureSpec("resnet", 8, 4, null, null), null,
                new MethodSpec(null, null, null, null, null, null, null, new TppSpec(0.5, 2.0, 1.0, null, null)),
                null, 3, null, null))
                .hasMessageStartingWith("method.tpp: split after 2.0 epochs and a ramp ending at 3.0 leave no"
                        + " stabilisation in a run of 3 epochs");
        assertThatThrownBy(() -> new TrainingSpec(null, null,
                new MethodSpec(null, null, null, null, null, null, null, new TppSpec(0.5, null, null, null, null)),
                null, 3, null, null))
                .hasMessageStartingWith("method.tpp: architecture 'small-cnn' has no removable filters");
        MethodSpec tpp = new MethodSpec(null, null, null, null, null, null, null, new TppSpec(0.5, null, null, null,
                null));
        assertThat(tpp.unitNorm()).isFalse();
        assertThat(tpp.hasPenalty()).isFalse();
        assertThat(tpp.label()).isEqualTo("tpp");
    }

    @Test
    void theScheduleRampsThenZeroesLayerByLayer() {
        TppSpec tpp = new TppSpec(0.5, 1.0, 2.0, null, 1.0);
        assertThat(tpp.regAt(0.5, 5)).isZero();
        assertThat(tpp.regAt(2.0, 5)).isCloseTo(0.5, within(1e-12));
        assertThat(tpp.regAt(3.5, 5)).isEqualTo(1.0);
        // Stabilisation from 3 to 5; the first half (3 to 4) brings the 3 layers in at 3.25, 3.5 and 3.75.
        assertThat(tpp.zeroes(0, 3, 3.2, 5)).isFalse();
        assertThat(tpp.zeroes(0, 3, 3.25, 5)).isTrue();
        assertThat(tpp.zeroes(2, 3, 3.7, 5)).isFalse();
        assertThat(tpp.zeroes(2, 3, 3.75, 5)).isTrue();
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static int[] complement(int[] removed, int filters) {
        return java.util.stream.IntStream.range(0, filters).filter(i -> !contains(removed, i)).toArray();
    }

    private static float[] logits(Path model) throws Exception {
        try (SavedModelRunner runner = SavedModelRunner.open(model, ModelExport.SIGNATURE_KEY, ModelExport.INPUT,
                ModelExport.LOGITS)) {
            return runner.run(test, 0, test.count());
        }
    }
}
