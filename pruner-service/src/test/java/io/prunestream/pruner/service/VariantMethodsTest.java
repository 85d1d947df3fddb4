package io.prunestream.pruner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.events.PruningMethod;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VariantMethodsTest {

    /** A family that serves {@code methods} at {@code order} and plans nothing. */
    private record Family(Set<PruningMethod> methods, int order) implements VariantMethod {

        @Override
        public List<PlannedVariant> plan(CheckpointWork work) {
            return List.of();
        }
    }

    private static final Family MAGNITUDE = new Family(EnumSet.of(PruningMethod.THRESHOLD,
            PruningMethod.THRESHOLD_MEAN), 0);
    private static final Family OBS = new Family(EnumSet.of(PruningMethod.OBS), 1);
    private static final Family STRUCTURED = new Family(EnumSet.of(PruningMethod.FILTER_L1, PruningMethod.TPP,
            PruningMethod.BOTTLENECK), 2);

    @Test
    void familiesComeInTheirOrderWhateverOrderTheyAreFoundIn() {
        assertThat(new VariantMethods(List.of(STRUCTURED, MAGNITUDE, OBS)).all())
                .containsExactly(MAGNITUDE, OBS, STRUCTURED);
    }

    @Test
    void aMethodMadeByTwoFamiliesOrByNoneIsRefusedByName() {
        assertThatThrownBy(() -> new VariantMethods(List.of(MAGNITUDE, OBS, STRUCTURED,
                new Family(EnumSet.of(PruningMethod.OBS), 3))))
                .hasMessageContaining("method obs is made by both");
        assertThatThrownBy(() -> new VariantMethods(List.of(MAGNITUDE, STRUCTURED)))
                .hasMessage("method obs has no VariantMethod to make it");
    }
}
