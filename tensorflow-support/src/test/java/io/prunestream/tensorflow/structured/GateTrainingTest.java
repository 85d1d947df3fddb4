package io.prunestream.tensorflow.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.pruning.structured.GateThreshold;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        ChannelCostModel model = NetworkCosts.channelModel(network);
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

    @Test
    void theBottleneckRemovesWhatItsGatesCloseStagesIncluded() throws Exception {
        NetworkSpec network = checkpoint.network();
        long full = NetworkCosts.total(network).multiplyAdds();
        long target = Bottleneck.target(network, 0.5);
        assertThat(target).isEqualTo(Math.round(0.5 * full));

        Bottleneck.Result result = Bottleneck.prune(SavedModelReader.read(checkpoint.model()), network,
                SyntheticImages.generate(320, 28, 1), new GateTraining.Settings(target, 6, 0.4, 0.5, 30, 32, 7));

        long cost = NetworkCosts.total(result.smaller().network()).multiplyAdds();
        assertThat(cost).as("what the threshold chose is what the smaller network costs")
                .isEqualTo(result.selection().multiplyAdds()).isLessThan(full);
        assertThat(result.denseMultiplyAdds()).isEqualTo(full);
        NetworkGraph.export(result.smaller().network(), result.smaller().weights(), dir.resolve("bottleneck"));
        assertThat(SavedModelReader.read(dir.resolve("bottleneck")).get("conv1/kernel").spec().shape().get(3))
                .as("the stem's filters are the first stage's").isEqualTo((long) result.smaller().network()
                        .stageWidth(0));
    }

    @Test
    void aTargetBelowOneChannelPerLayerIsRefusedWithBothNumbers() {
        assertThatThrownBy(() -> Bottleneck.target(checkpoint.network(), 0.0001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("multiply-add target 1.0E-4 \\(\\d+ of \\d+\\) is unreachable: one channel per layer"
                        + " already costs \\d+ \\(0\\.\\d{4} of the full network\\)");
        assertThatThrownBy(() -> Bottleneck.target(checkpoint.network(), 1.5))
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
