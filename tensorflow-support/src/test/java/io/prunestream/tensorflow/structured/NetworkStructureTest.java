package io.prunestream.tensorflow.structured;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.pruning.structured.ChannelCostModel;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkStructureTest {

    private static final NetworkSpec RESNET20_CIFAR = new NetworkSpec(new ArchitectureSpec("resnet", 20, 16,
            List.of(32, 32, 3), 10), false, 0.5f, 0.25f, List.of());

    @Test
    void resNet20OnCifarCostsWhatThePapersSay() throws Exception {
        LayerCost total = NetworkStructure.of(RESNET20_CIFAR).total();
        // The usual figures for ResNet-20 with 1x1 projection shortcuts: 0.27 M parameters, 40.8 M FLOPs.
        assertThat(total.parameters()).isEqualTo(272_474);
        assertThat(total.multiplyAdds()).isEqualTo(40_813_184);
        assertThat(NetworkStructure.of(RESNET20_CIFAR).layers()).first().isEqualTo(
                new LayerCost("conv1/kernel", 432, 442_368));
    }

    @Test
    void halvingTheInnerConvsHalvesTheirCostAndTheNextConvsInput() throws Exception {
        LayerCost full = NetworkStructure.of(RESNET20_CIFAR).total();
        LayerCost half = NetworkStructure.of(RESNET20_CIFAR.withInnerWidths(List.of(8, 8, 8, 16, 16, 16, 32, 32, 32))).total();
        // Each block's two 3x3 convs (and the inner batch norm) lose half their weights; the stem, the shortcuts,
        // the blocks' outer batch norms and the classifier do not change.
        long blockConvWeights = 6L * 2304 + 4608 + 5 * 9216 + 18_432 + 5 * 36_864;
        long innerBatchNorm = 2L * (3 * 16 + 3 * 32 + 3 * 64);
        assertThat(full.parameters() - half.parameters()).isEqualTo(blockConvWeights / 2 + innerBatchNorm / 2);
        long blockMultiplyAdds = 40_813_184L - 442_368 - 2 * 131_072 - 640;
        assertThat(full.multiplyAdds() - half.multiplyAdds()).isEqualTo(blockMultiplyAdds / 2);
    }

    @Test
    void theChannelModelCountsWhatTheBuiltNetworkCosts() throws Exception {
        ChannelCostModel model = NetworkStructure.of(RESNET20_CIFAR).channelCosts();
        List<String> names = NetworkStructure.of(RESNET20_CIFAR).channelGroups();
        // Three stages, coupled by the adds, and the inner channels of each of the 9 blocks.
        assertThat(names).hasSize(12).startsWith("stage-1", "conv2/kernel");
        assertThat(names).contains("stage-2", "stage-3");
        assertThat(model.multiplyAdds()).isEqualTo(40_813_184);

        List<Integer> inner = List.of(3, 8, 1, 16, 9, 2, 30, 7, 64);
        int[] kept = new int[names.size()];
        for (int g = 0, block = 0; g < names.size(); g++) {
            kept[g] = names.get(g).startsWith("stage-") ? model.groups().get(g) : inner.get(block++);
        }
        assertThat(model.multiplyAdds(kept)).isEqualTo(NetworkStructure.of(RESNET20_CIFAR.withInnerWidths(inner)).total()
                .multiplyAdds());
    }

    @Test
    void aNetworkWithoutGroupsHasAnEmptyChannelModel() throws Exception {
        NetworkSpec cnn = new NetworkSpec(new ArchitectureSpec(null, null, null, null, null), true, 0.5f, 0.25f,
                List.of());
        assertThat(NetworkStructure.of(cnn).channelCosts().terms()).isEmpty();
    }
}
