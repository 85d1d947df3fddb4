package io.prunestream.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PairedComparisonTest {

    /**
     * Fagerland, Lydersen and Laake (BMC Medical Research Methodology 13:91, 2013), airway hyper-responsiveness
     * before and after treatment (Bentur et al.): 1 and 7 discordant pairs, exact conditional McNemar p = 0.070.
     */
    @Test
    void mcNemarsExactTestIsTheWorkedExample() {
        PairedComparison bentur = new PairedComparison(1, 1, 7, 12);

        assertThat(bentur.mcNemarExactP()).isCloseTo(0.0703, within(0.00005));
        assertThat(new PairedComparison(10, 0, 0, 5).mcNemarExactP()).isEqualTo(1.0);
    }

    @Test
    void theDropIsTheFirstTop1MinusTheSecond() {
        PairedComparison comparison = new PairedComparison(800, 60, 20, 120);

        assertThat(comparison.images()).isEqualTo(1000);
        assertThat(comparison.drop()).isCloseTo(0.86 - 0.82, within(1e-12));
        Interval interval = comparison.dropInterval(0.95);
        assertThat(interval.contains(comparison.drop())).isTrue();
        assertThat(interval.low()).isPositive();
        // Pairing: far narrower than the two top-1 intervals side by side.
        assertThat(interval.width()).isLessThan(Proportions.wilson(860, 1000, 0.95).width()
                + Proportions.wilson(820, 1000, 0.95).width());
        PairedComparison same = new PairedComparison(900, 0, 0, 100);
        assertThat(same.dropInterval(0.95).contains(0)).isTrue();
        assertThat(same.dropInterval(0.95).width()).isLessThan(0.01);
    }

    /**
     * Simulated coverage of the drop's 95% interval: pairs drawn with a known true drop (zero included) on as many
     * images as the pipeline's test splits hold; Newcombe's method keeps close to 95%.
     */
    @ParameterizedTest(name = "top-1 {0}, drop {1}, discordant {2}, {3} images")
    @CsvSource({"0.90, 0.00, 0.04, 10000", "0.90, 0.01, 0.06, 10000", "0.85, 0.05, 0.10, 2000",
            "0.90, 0.30, 0.40, 1000", "0.99, 0.00, 0.01, 500"})
    void theDropIntervalCoversTheTrueDrop(double top1, double drop, double discordant, int images) {
        SplittableRandom random = new SplittableRandom(29);
        // Cell probabilities: firstOnly - secondOnly = drop, firstOnly + secondOnly = discordant.
        double firstOnly = (discordant + drop) / 2;
        double secondOnly = (discordant - drop) / 2;
        double both = top1 - firstOnly;
        int runs = 2000;
        int covered = 0;
        for (int run = 0; run < runs; run++) {
            long[] counts = new long[4];
            for (int i = 0; i < images; i++) {
                double u = random.nextDouble();
                counts[u < both ? 0 : u < both + firstOnly ? 1 : u < both + firstOnly + secondOnly ? 2 : 3]++;
            }
            covered += new PairedComparison(counts[0], counts[1], counts[2], counts[3]).dropInterval(0.95)
                    .contains(drop) ? 1 : 0;
        }
        assertThat(covered / (double) runs).as("coverage").isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void correctnessBitsCompareAndTravel() {
        BitSet dense = new BitSet();
        BitSet variant = new BitSet();
        for (int i = 0; i < 100; i++) {
            dense.set(i, i % 10 != 0);
            variant.set(i, i % 5 != 0);
        }
        Correctness first = new Correctness(dense, 100);
        Correctness second = Correctness.decode(new Correctness(variant, 100).encode());

        assertThat(first.against(second)).isEqualTo(new PairedComparison(80, 10, 0, 10));
        assertThat(Correctness.decode(first.encode()).against(first)).isEqualTo(new PairedComparison(90, 0, 0, 10));
        assertThatThrownBy(() -> first.against(new Correctness(new BitSet(), 99)))
                .hasMessage("compared on 100 and 99 images");
        assertThatThrownBy(() -> Correctness.decode(new byte[] {1, 2, 3})).hasMessageContaining("not a correctness");
        // The first 20 images: 16 right for both, 2 the dense model's only, 2 wrong for both.
        assertThat(first.first(20).against(second.first(20))).isEqualTo(new PairedComparison(16, 2, 0, 2));
        assertThatThrownBy(() -> first.first(101)).hasMessage("the first 101 of 100 images");
    }
}
