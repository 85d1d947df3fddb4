package io.prunestream.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Wilson intervals against Newcombe's worked examples (Statistics in Medicine 17:857, 1998, Table II, method 3). */
class ProportionsTest {

    @ParameterizedTest(name = "{0}/{1}: {2} to {3}")
    @CsvSource({"81, 263, 0.2553, 0.3662", "15, 148, 0.0624, 0.1605", "0, 20, 0.0000, 0.1611",
            "1, 29, 0.0061, 0.1718"})
    void wilsonIntervalsAreNewcombesWorkedExamples(long successes, long trials, double low, double high) {
        Interval interval = Proportions.wilson(successes, trials, 0.95);

        assertThat(interval.low()).isCloseTo(low, within(0.00005));
        assertThat(interval.high()).isCloseTo(high, within(0.00005));
        assertThat(interval.level()).isEqualTo(0.95);
    }

    @Test
    void badCountsAndLevelsAreRefusedByValue() {
        assertThatThrownBy(() -> Proportions.wilson(5, 0, 0.95)).hasMessage("5 successes of 0 trials");
        assertThatThrownBy(() -> Proportions.wilson(11, 10, 0.95)).hasMessage("11 successes of 10 trials");
        assertThatThrownBy(() -> Proportions.wilson(1, 10, 1.0)).hasMessage("level: 1.0 is outside [0.5, 1)");
        assertThatThrownBy(() -> Proportions.wilson(1, 10, 0.2)).hasMessage("level: 0.2 is outside [0.5, 1)");
    }
}
