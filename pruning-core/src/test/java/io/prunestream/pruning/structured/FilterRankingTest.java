package io.prunestream.pruning.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.pruning.LayerWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterRankingTest {

    @Test
    void normsAreSummedPerFilterOfTheLastAxis() {
        // [1, 2, 3]: two input positions, three filters; value i belongs to filter i % 3.
        LayerWeights layer = new LayerWeights("conv", new float[] {1, -2, 0.5f, -3, 0.25f, 0}, new long[] {1, 2, 3});
        assertThat(FilterRanking.l1Norms(layer)).containsExactly(4, 2.25, 0.5);
    }

    @Test
    void keepsTheLargestFiltersInIndexOrderAndAtLeastOne() {
        double[] norms = {0.1, 5, 3, 3, 0.2, 9};
        assertThat(FilterRanking.keep(norms, 0.5)).containsExactly(1, 2, 5);
        assertThat(FilterRanking.keep(norms, 0)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(FilterRanking.keep(norms, 0.99)).containsExactly(5);
        // 3 and 2 tie at 3.0: the lower index wins.
        assertThat(FilterRanking.keep(norms, 4 / 6.0)).containsExactly(1, 5);
        // 0.6 of 6 is 3.6 filters: 4 removed, the nearest whole number.
        assertThat(FilterRanking.keep(norms, 0.6)).containsExactly(1, 5);
        assertThat(FilterRanking.removed(new int[] {1, 2, 5}, 6)).containsExactly(0, 3, 4);
    }

    @Test
    void badRatiosAndKeptListsAreNamed() {
        assertThatThrownBy(() -> FilterRanking.keep(new double[] {1}, 1.0))
                .hasMessage("pruning ratio 1.0 is outside [0, 1)");
        assertThatThrownBy(() -> FilterRanking.keep(new double[] {1}, Double.NaN))
                .hasMessage("pruning ratio NaN is outside [0, 1)");
        assertThatThrownBy(() -> FilterRanking.requireValid("conv3", new int[] {2, 1}, 4))
                .hasMessage("layer conv3: kept filters [2, 1] are not increasing indices below 4");
        assertThatThrownBy(() -> FilterRanking.requireValid("conv3", new int[] {}, 4))
                .hasMessage("layer conv3: no filter kept; at least one must stay");
    }

    @Test
    void costsCountMultiplyAddsPerOutputValue() {
        // ResNet-20's first conv on 32x32x3: 3*3*3*16 = 432 weights, 32*32*432 = 442,368 multiply-adds.
        LayerCost stem = LayerCost.conv("conv1", 3, 3, 16, 1, 32, 32, false);
        assertThat(stem.parameters()).isEqualTo(432);
        assertThat(stem.multiplyAdds()).isEqualTo(442_368);
        // Stride 2 on 28x28 (SAME): 14x14 outputs.
        assertThat(LayerCost.conv("c", 3, 16, 32, 2, 28, 28, false).multiplyAdds()).isEqualTo(14L * 14 * 9 * 16 * 32);
        assertThat(LayerCost.dense("fc", 64, 10, true).parameters()).isEqualTo(650);
        assertThat(stem.plus(LayerCost.batchNorm("bn1", 16)).parameters()).isEqualTo(464);
    }

    @Test
    void theRatioForATargetCostIsTheOneThatComesClosest() {
        // stem 3 -> 8 (stage), inner 8 -> 10 (removable), outer 10 -> 8, classifier 8 -> 10.
        ChannelCostModel model = new ChannelCostModel(List.of(
                new ChannelCostModel.Term("stem", 100, ChannelCostModel.FIXED, 3, 0, 8),
                new ChannelCostModel.Term("inner", 100, 0, 8, 1, 10),
                new ChannelCostModel.Term("outer", 100, 1, 10, 0, 8),
                new ChannelCostModel.Term("classifier", 1, 0, 8, ChannelCostModel.FIXED, 10)), List.of(8, 10));
        boolean[] inner = {false, true};
        // Full: 2400 + 8000 + 8000 + 80 = 18480; each inner filter costs 1600.
        double ratio = FilterRanking.ratioFor(model, inner, 2480 + 5 * 1600 + 700);
        assertThat(FilterRanking.keptCount(10, ratio)).as("5 filters (10480) is nearer than 6 (12080)").isEqualTo(5);
        assertThat(FilterRanking.keptCount(10, FilterRanking.ratioFor(model, inner, 2480 + 5 * 1600 + 900)))
                .isEqualTo(6);
        assertThat(FilterRanking.keptCount(10, FilterRanking.ratioFor(model, inner, 10))).as("the least is one")
                .isEqualTo(1);
        assertThat(FilterRanking.ratioFor(model, inner, 1_000_000)).isZero();
    }
}
