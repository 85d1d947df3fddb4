package io.prunestream.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DropSequenceTest {

    private static final int SPLIT = 2_000;

    /**
     * Time-uniform coverage by simulation: a split of 2,000 images on which the two models' results are fixed (a known
     * drop, 0 included), scored in 10,000 random orders, each looked at after every image until the split is
     * exhausted; an order misses if any interval excludes the split's drop. At least 95% of orders must never miss.
     */
    @ParameterizedTest(name = "drop {0}, discordant {1}")
    @CsvSource({"0.00, 0.04", "0.01, 0.06", "0.05, 0.15", "0.30, 0.40", "0.00, 0.00", "0.00, 0.01"})
    void everyIntervalEverReportedCoversTheSplitsDropInAtLeast95PercentOfOrders(double drop, double discordant) {
        int denseOnly = (int) Math.round(SPLIT * (discordant + drop) / 2);
        int variantOnly = (int) Math.round(SPLIT * (discordant - drop) / 2);
        boolean[] dense = new boolean[SPLIT];
        boolean[] variant = new boolean[SPLIT];
        for (int i = 0; i < SPLIT; i++) {
            // Both right on 90% of the images outside the discordant ones: such pairs say nothing of the drop.
            boolean agreed = i < 0.9 * SPLIT;
            dense[i] = i < denseOnly || i >= denseOnly + variantOnly && agreed;
            variant[i] = i >= denseOnly && i < denseOnly + variantOnly || i >= denseOnly + variantOnly && agreed;
        }
        double truth = (denseOnly - variantOnly) / (double) SPLIT;
        SplittableRandom random = new SplittableRandom(1_000_003);
        int[] order = new int[SPLIT];
        int runs = 10_000;
        int missed = 0;
        for (int run = 0; run < runs; run++) {
            shuffle(order, random);
            DropSequence sequence = new DropSequence(0.95, SPLIT);
            boolean miss = false;
            for (int image = 0; image < SPLIT && !miss; image++) {
                sequence.add(dense[order[image]], variant[order[image]]);
                miss = !sequence.interval().contains(truth);
            }
            missed += miss ? 1 : 0;
        }
        assertThat(1 - missed / (double) runs).as("time-uniform coverage").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void theIntervalNarrowsAsImagesComeAndClosesOnTheSplitsDropAtItsEnd() {
        int split = 10_000;
        DropSequence agreeing = new DropSequence(0.95, split);
        DropSequence broken = new DropSequence(0.95, split);
        assertThat(agreeing.interval().low()).isEqualTo(-1);
        for (int i = 0; i < split; i++) {
            agreeing.add(i % 10 != 0, i % 10 != 0);
            broken.add(i % 10 != 0, i % 10 == 0);
            if (i == 999) {
                // 80 points of drop: the interval excludes a 20-point cut after 1,000 images.
                assertThat(broken.interval().low()).isGreaterThan(0.2);
                assertThat(broken.estimate()).isEqualTo(0.8);
            }
        }
        assertThat(agreeing.images()).isEqualTo(split);
        assertThat(agreeing.interval().contains(0)).isTrue();
        assertThat(agreeing.interval().width()).as("no disagreement at all, every image seen").isLessThan(0.001);
        assertThat(broken.interval().contains(0.8)).isTrue();
        assertThat(broken.interval().width()).as("the whole split seen: within ±1 point of its drop").isLessThan(0.02);
    }

    @Test
    void aValueOutsideItsRangeOrBeyondThePopulationIsRefusedByName() {
        MeanSequence sequence = new MeanSequence(0.95, 1);
        assertThatThrownBy(() -> sequence.add(1.5)).hasMessageContaining("1.5");
        sequence.add(1);
        assertThatThrownBy(() -> sequence.add(1)).hasMessageContaining("all 1 values");
        assertThatThrownBy(() -> new MeanSequence(0.95, 0)).hasMessageContaining("population: 0");
        assertThatThrownBy(() -> new MeanSequence(1.0, 10)).hasMessageContaining("level: 1.0");
    }

    /** A top-1 is a mean too: its sequence covers the split's top-1 as the drop's does. */
    @Test
    void aTopOneSequenceCoversTheSplitsTopOneInAtLeast95PercentOfOrders() {
        boolean[] right = new boolean[SPLIT];
        for (int i = 0; i < SPLIT; i++) {
            right[i] = i < 0.87 * SPLIT;
        }
        SplittableRandom random = new SplittableRandom(17);
        int[] order = new int[SPLIT];
        int missed = 0;
        int runs = 10_000;
        for (int run = 0; run < runs; run++) {
            shuffle(order, random);
            MeanSequence sequence = new MeanSequence(0.95, SPLIT);
            boolean miss = false;
            for (int i = 0; i < SPLIT && !miss; i++) {
                sequence.add(right[order[i]] ? 1 : 0);
                miss = !sequence.interval().contains(0.87);
            }
            missed += miss ? 1 : 0;
        }
        assertThat(1 - missed / (double) runs).as("time-uniform coverage").isGreaterThanOrEqualTo(0.95);
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
