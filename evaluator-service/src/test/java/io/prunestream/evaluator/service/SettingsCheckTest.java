package io.prunestream.evaluator.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunestream.evaluator.config.EvaluatorConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The settings read as the service reads them (SmallRye's mapping, defaults included), then checked. */
class SettingsCheckTest {

    @Test
    void theDefaultsPass() {
        assertThatCode(() -> SettingsCheck.require(config(Map.of()))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"evaluator.sequential.tolerance, 0, 'evaluator.sequential.tolerance: 0.0 points is outside (0, 50]'",
        "evaluator.sequential.tolerance, 60, 'evaluator.sequential.tolerance: 60.0 points is outside (0, 50]'",
        "evaluator.sequential.broken-drop, -1, 'evaluator.sequential.broken-drop: -1.0 points is outside (0, 100]'",
        "evaluator.confidence-level, 1, 'evaluator.confidence-level: 1.0 is outside [0.5, 1)'",
        "evaluator.batch-size, 0, 'evaluator.batch-size: 0 must be at least 1'",
        "evaluator.dense-wait, -PT1S, 'evaluator.dense-wait: PT-1S is negative'"})
    void aSettingOutOfRangeIsRefusedByName(String key, String value, String message) {
        EvaluatorConfig config = config(Map.of(key, value));
        assertThatThrownBy(() -> SettingsCheck.require(config)).hasMessage(message);
    }

    private static EvaluatorConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .withMapping(EvaluatorConfig.class)
                .withSources(new PropertiesConfigSource(settings, "test", 500)).build()
                .getConfigMapping(EvaluatorConfig.class);
    }
}
