package io.prunestream.pruning.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The multiply-add model over gate groups, and the global bisection threshold that hits a target with it. */
class GateThresholdTest {

    /**
     * A toy two-block network: a stem conv 3 -> 8 (group 0) on 8x8, a conv 8 -> 4 (group 0 -> group 1) on 8x8 and a
     * conv 4 -> 8 (group 1 -> group 0), then a dense 8 -> 10 (group 0 -> fixed).
     */
    static final ChannelCostModel MODEL = new ChannelCostModel(List.of(
            new ChannelCostModel.Term("stem", 64 * 9, ChannelCostModel.FIXED, 3, 0, 8),
            new ChannelCostModel.Term("inner", 64 * 9, 0, 8, 1, 4),
            new ChannelCostModel.Term("outer", 64 * 9, 1, 4, 0, 8),
            new ChannelCostModel.Term("classifier", 1, 0, 8, ChannelCostModel.FIXED, 10)), List.of(8, 4));

    @Test
    void theModelCountsLayerByLayerWithHardOrSoftChannels() {
        assertThat(MODEL.multiplyAdds()).isEqualTo(576L * 3 * 8 + 576L * 8 * 4 + 576L * 4 * 8 + 8 * 10);
        assertThat(MODEL.multiplyAdds(new int[] {2, 1})).isEqualTo(576L * 3 * 2 + 576L * 2 + 576L * 2 + 2 * 10);
        assertThat(MODEL.multiplyAdds(new double[] {2, 1})).isCloseTo(MODEL.multiplyAdds(new int[] {2, 1}),
                within(1e-9));
        assertThat(MODEL.multiplyAdds(new double[] {1.5, 0.5})).isCloseTo(576 * 3 * 1.5 + 576 * 0.75 * 2
                + 1.5 * 10, within(1e-9));
        assertThatThrownBy(() -> new ChannelCostModel(List.of(new ChannelCostModel.Term("x", 1, 0, 5, 1, 4)),
                List.of(8, 4))).hasMessageStartingWith("layer x: group 0 with 5 channels is not one of the 2 groups");
    }

    @Test
    void bisectionHitsTheTargetWithinTheTolerance() {
        Random random = new Random(3);
        List<float[]> gates = List.of(randomGates(8, random), randomGates(4, random));
        long full = MODEL.multiplyAdds();
        for (double share : new double[] {0.5, 0.35}) {
            long target = Math.round(share * full);
            GateThreshold.Selection selection = GateThreshold.select(gates, MODEL, target, 3000);

            assertThat(Math.abs(selection.multiplyAdds() - target)).as("share %s", share).isLessThanOrEqualTo(3000);
            assertThat(selection.multiplyAdds()).isEqualTo(MODEL.multiplyAdds(new int[] {selection.kept().get(0)
                .length, selection.kept().get(1).length}));
            for (int g = 0; g < 2; g++) {
                for (int i : selection.kept().get(g)) {
                    assertThat(gates.get(g)[i]).isGreaterThan((float) selection.threshold());
                }
            }
        }
    }

    @Test
    void everyGroupKeepsItsLargestGateAndAnUnreachableTargetIsNamed() {
        List<float[]> gates = List.of(new float[] {0.1f, 0.3f, 0.2f, 0.05f, 0.1f, 0.1f, 0.1f, 0.1f},
                new float[] {0.9f, 0.8f, 0.95f, 0.7f});
        assertThat(GateThreshold.keep(gates, 0.5)).satisfiesExactly(
                g -> assertThat(g).containsExactly(1),
                g -> assertThat(g).containsExactly(0, 1, 2, 3));
        long least = MODEL.multiplyAdds(new int[] {1, 1});
        assertThatThrownBy(() -> GateThreshold.select(gates, MODEL, least - 1, 0))
                .hasMessage("target of " + (least - 1) + " multiply-adds is unreachable: one channel per group"
                        + " already costs " + least + " (the full network " + MODEL.multiplyAdds() + ")");
    }

    private static float[] randomGates(int n, Random random) {
        float[] gates = new float[n];
        for (int i = 0; i < n; i++) {
            gates[i] = random.nextFloat();
        }
        return gates;
    }
}
