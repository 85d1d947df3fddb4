package io.prunestream.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DropSequenceTest {

    /**
     * Time-uniform coverage by simulation: 10,000 runs with a known true drop (0 included), each looked at after every
     * image up to 2,000; a run misses if the interval ever excludes the true drop. At least 95% of runs must never
     * miss.
     */
    @ParameterizedTest(name = "drop {0}, discordant {1}")
    @CsvSource({"0.00, 0.04", "0.01, 0.06", "0.05, 0.15", "0.30, 0.40", "0.00, 0.00"})
    void everyIntervalEverReportedCoversTheTrueDropInAtLeast95PercentOfRuns(double drop, double discordant) {
        SplittableRandom random = new SplittableRandom(1_000_003);
        double denseOnly = (discordant + drop) / 2;
        double variantOnly = (discordant - drop) / 2;
        int runs = 10_000;
        int missed = 0;
        for (int run = 0; run < runs; run++) {
            DropSequence sequence = new DropSequence(0.95);
            boolean miss = false;
            for (int image = 0; image < 2_000 && !miss; image++) {
                double u = random.nextDouble();
                // Both right, or both wrong, in the rest: the pair says nothing of the drop either way.
                boolean denseRight = u < denseOnly || u >= denseOnly + variantOnly && u < 0.9;
                boolean variantRight = u >= denseOnly && u < denseOnly + variantOnly || u >= denseOnly + variantOnly
                        && u < 0.9;
                sequence.add(denseRight, variantRight);
                miss = !sequence.interval().contains(drop);
            }
            missed += miss ? 1 : 0;
        }
        assertThat(1 - missed / (double) runs).as("time-uniform coverage").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void theIntervalNarrowsAsImagesComeAndAgreementIsCheap() {
        DropSequence agreeing = new DropSequence(0.95);
        DropSequence broken = new DropSequence(0.95);
        assertThat(agreeing.interval().low()).isEqualTo(-1);
        for (int i = 0; i < 10_000; i++) {
            agreeing.add(i % 10 != 0, i % 10 != 0);
            broken.add(i % 10 != 0, i % 10 == 0);
        }
        assertThat(agreeing.images()).isEqualTo(10_000);
        assertThat(agreeing.interval().contains(0)).isTrue();
        assertThat(agreeing.interval().width()).as("no disagreement at all: ±0.15 points").isLessThan(0.004);
        // 80 points of drop: the interval excludes a 20-point cut long before 10,000 images.
        assertThat(broken.interval().low()).isGreaterThan(0.75);
    }
}
