package io.prunestream.tensorflow.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.pruning.structured.ChannelSelection;
import io.prunestream.pruning.structured.GateThreshold;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gates trained on a trained ResNet with its weights frozen move towards the multiply-add target. */
class GateTrainingTest {

    @TempDir
    static Path dir;

    private static TrainedModels.TppCheckpoint checkpoint;
    private static Map<String, float[]> weights;

    @BeforeAll
    static void model() throws Exception {
        TensorFlowRuntime.start();
        checkpoint = TrainedModels.tppResNet(dir.resolve("resnet"));
        weights = SavedModelReader.read(checkpoint.model()).floatValues();
    }

    @Test
    void theGatesMoveTowardsTheTarget() throws Exception {
        NetworkSpec network = checkpoint.network();
        ChannelCostModel model = NetworkStructure.of(network).channelCosts();
        long target = model.multiplyAdds() / 2;
        LabeledImages data = SyntheticImages.generate(320, 28, 1);

        GateTraining.Gates result = GateTraining.train(network, weights, data,
                new GateTraining.Settings(target, 6, 0.4, 0.5, 30, 32, 7));

        assertThat(result.gates()).extracting(g -> g.length).containsExactlyElementsOf(model.groups());
        assertThat(result.step()).isBetween(18, 29);
        double mean = result.gates().stream().flatMap(g -> {
            Double[] values = new Double[g.length];
            for (int i = 0; i < g.length; i++) {
                values[i] = (double) g[i];
            }
            return java.util.Arrays.stream(values);
        }).mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(mean).as("the multiply-add term pulls the gates down from 0.9").isLessThan(0.85);
        assertThat(result.softMultiplyAdds()).isLessThan(0.9 * model.multiplyAdds());

        GateThreshold.Selection selection = GateThreshold.select(result.gates(), model, target, target / 20);
        assertThat(Math.abs(selection.multiplyAdds() - target)).isLessThanOrEqualTo(target / 20);
        assertThat(selection.kept()).allSatisfy(kept -> assertThat(kept).isNotEmpty());
    }

    /**
     * The TPP checkpoint's chosen filters are exactly zero, their batch norms too, so their gates feel the multiply-add
     * and binarisation terms only and move alike, while a live filter's gate also feels the cross-entropy of closing
     * it: gates that learn hold the live channels above the dead ones, each by what it is worth. Constant gates, or
     * gates moved by the multiply-add term alone, fail here.
     */
    @Test
    void theGatesLearnWhichChannelsTheNetworkUses() throws Exception {
        NetworkSpec network = checkpoint.network();
        NetworkStructure channels = NetworkStructure.of(network);
        long target = channels.channelCosts().multiplyAdds() / 2;

        GateTraining.Gates result = GateTraining.train(network, weights, SyntheticImages.generate(320, 28, 1),
                new GateTraining.Settings(target, 6, 0.4, 0.5, 30, 32, 7));

        List<FilterGroup> groups = NetworkStructure.of(network).filterGroups();
        for (int g = 0; g < groups.size(); g++) {
            float[] gates = result.gates().get(channels.channelGroups().indexOf(groups.get(g).producers().get(0)));
            Set<Integer> removed = Arrays.stream(checkpoint.removed().get(g)).boxed().collect(Collectors.toSet());
            double[] dead = IntStream.range(0, gates.length).filter(removed::contains).mapToDouble(c -> gates[c])
                    .toArray();
            double[] live = IntStream.range(0, gates.length).filter(c -> !removed.contains(c))
                    .mapToDouble(c -> gates[c]).toArray();
            String group = "group " + g + ", gates " + Arrays.toString(gates) + ", TPP zeroed " + removed;
            assertThat(dead).as(group + ": no cross-entropy reaches a dead filter's gate").isNotEmpty();
            assertThat(Arrays.stream(dead).max().orElseThrow() - dead[0]).as(group).isCloseTo(0, within(1e-6));
            assertThat(Arrays.stream(dead).min().orElseThrow() - dead[0]).as(group).isCloseTo(0, within(1e-6));
            assertThat(Arrays.stream(live).average().orElseThrow()).as(group + ": live gates above dead ones")
                    .isGreaterThan(dead[0] + 0.02);
            assertThat(Arrays.stream(live).max().orElseThrow() - Arrays.stream(live).min().orElseThrow())
                    .as(group + ": each live gate moved by what its channel is worth").isGreaterThan(0.02);
        }
    }

    /** AutoBot end to end: gates as the importance, one global cut as the selection, the channel removal. */
    @Test
    void theBottleneckRemovesWhatItsGatesCloseStagesIncluded() throws Exception {
        NetworkStructure structure = NetworkStructure.of(checkpoint.network());
        long full = structure.total().multiplyAdds();
        long target = structure.multiplyAddTarget(0.5);
        assertThat(target).isEqualTo(Math.round(0.5 * full));

        GateTraining.Gates gates = GateTraining.train(structure.network(), weights, SyntheticImages.generate(320, 28,
                1), new GateTraining.Settings(target, 6, 0.4, 0.5, 30, 32, 7));
        List<double[]> scores = gates.gates().stream().map(g -> IntStream.range(0, g.length).mapToDouble(i -> g[i])
                .toArray()).toList();
        ChannelSelection.Selected selected = new ChannelSelection.GlobalCut(0.5, 0.002).select(scores,
                structure.channelCosts());
        FilterRemoval.Smaller smaller = FilterRemoval.sliceChannels(SavedModelReader.read(checkpoint.model()),
                structure, selected.kept());

        long cost = NetworkStructure.of(smaller.network()).total().multiplyAdds();
        assertThat(cost).as("what the cut chose is what the smaller network costs").isEqualTo(structure
                .channelCosts().multiplyAdds(selected.kept().stream().mapToInt(k -> k.length).toArray()))
                .isLessThan(full);
        assertThat((double) Math.abs(cost - target) / full).as("the smaller network's multiply-adds near the target")
                .isLessThan(0.05);
        assertThat(selected.ratio()).isEqualTo(0.5);
        NetworkGraph.export(smaller.network(), smaller.weights(), dir.resolve("bottleneck"));
        assertThat(SavedModelReader.read(dir.resolve("bottleneck")).get("conv1/kernel").spec().shape().get(3))
                .as("the stem's filters are the first stage's").isEqualTo((long) smaller.network().stageWidth(0));
    }

    @Test
    void aTargetBelowOneChannelPerLayerIsRefusedWithBothNumbers() {
        assertThatThrownBy(() -> NetworkStructure.of(checkpoint.network()).multiplyAddTarget(0.0001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("multiply-add target 1.0E-4 \\(\\d+ of \\d+\\) is unreachable: one channel per layer"
                        + " already costs \\d+ \\(0\\.\\d{4} of the full network\\)");
        assertThatThrownBy(() -> NetworkStructure.of(checkpoint.network()).multiplyAddTarget(1.5))
                .hasMessageStartingWith("multiply-add target 1.5 is outside (0, 1)");
    }

    @Test
    void aNetworkWithoutChannelGroupsCannotBeGated() {
        NetworkSpec cnn = new NetworkSpec(new ArchitectureSpec(null, null, null, null, null), false, 0.5f, 0.25f,
                List.of());
        assertThatThrownBy(() -> GateTraining.train(cnn, Map.of(), SyntheticImages.generate(8, 28, 1),
                new GateTraining.Settings(1000, 6, 0.4, 0.5, 1, 8, 1)))
                .hasMessageContaining("gates need a ResNet");
    }
}
