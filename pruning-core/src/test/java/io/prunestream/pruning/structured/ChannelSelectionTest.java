package io.prunestream.pruning.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** From scores per channel group to kept channels: per group, per group at a cost, as chosen before, one global cut. */
class ChannelSelectionTest {

    /** A stage of 8 channels (group 0) and one block's 4 inner channels (group 1). */
    private static final ChannelCostModel MODEL = GateThresholdTest.MODEL;

    private static final double[] INNER = {0.4, 0.1, 0.9, 0.2};

    @Test
    void aShareOfEachScoredGroupGoesAndAnUnscoredGroupStaysWhole() {
        ChannelSelection.Selected selected = new ChannelSelection.PerGroupShare(0.5).select(
                Arrays.asList(null, INNER), MODEL);

        assertThat(selected.kept()).satisfiesExactly(
                stage -> assertThat(stage).containsExactly(0, 1, 2, 3, 4, 5, 6, 7),
                inner -> assertThat(inner).containsExactly(0, 2));
        assertThat(selected.ratio()).isEqualTo(0.5);
        assertThat(selected.globalCut()).isFalse();
    }

    @Test
    void atACostTheSameShareGoesFromEveryScoredGroup() {
        long full = MODEL.multiplyAdds();
        long third = MODEL.multiplyAdds(new int[] {8, 3});
        ChannelSelection.Selected selected = new ChannelSelection.PerGroupShareAtCost((double) third / full).select(
                Arrays.asList(null, INNER), MODEL);

        assertThat(selected.kept().get(1)).containsExactly(0, 2, 3);
        assertThat(selected.ratio()).isEqualTo(FilterRanking.ratioFor(MODEL, new boolean[] {false, true}, third));
    }

    @Test
    void aChoiceMadeBeforeKeepsExactlyItsPositiveScores() {
        ChannelSelection.Selected selected = new ChannelSelection.PositiveScores(0.5).select(
                Arrays.asList(null, new double[] {1, 0, 0, 1}), MODEL);

        assertThat(selected.kept().get(1)).containsExactly(0, 3);
        assertThat(selected.ratio()).isEqualTo(0.5);
    }

    @Test
    void oneGlobalCutComparesEveryGroupAndNeedsThemAllScored() {
        double[] stage = {0.95, 0.05, 0.9, 0.1, 0.85, 0.15, 0.8, 0.2};
        ChannelSelection.Selected selected = new ChannelSelection.GlobalCut(0.35, 0.002).select(List.of(stage,
                INNER), MODEL);

        assertThat(selected.globalCut()).isTrue();
        assertThat(selected.ratio()).isEqualTo(1 - 0.35);
        for (int g = 0; g < 2; g++) {
            double[] scores = g == 0 ? stage : INNER;
            int[] kept = selected.kept().get(g);
            double lowestKept = Arrays.stream(kept).mapToDouble(i -> scores[i]).min().orElseThrow();
            for (int removed : FilterRanking.removed(kept, scores.length)) {
                assertThat(scores[removed]).as("group %d", g).isLessThan(lowestKept);
            }
        }
        assertThatThrownBy(() -> new ChannelSelection.GlobalCut(0.35, 0.002).select(Arrays.asList(null, INNER),
                MODEL)).hasMessage("a global cut needs a score for every channel; group 0 has none");
        assertThatThrownBy(() -> new ChannelSelection.GlobalCut(1.0, 0.002))
                .hasMessageStartingWith("multiply-add target 1.0 is outside (0, 1)");
    }
}
