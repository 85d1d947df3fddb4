package io.prunestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboards are valid Grafana JSON that reads only metrics the services expose. That each name really is on the
 * services' {@code /q/metrics} is checked by each service's own flow test ({@link Dashboards#metricNamesExposedBy}).
 */
class DashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Dashboards dashboards = Dashboards.ofRepository();

    @Test
    void eachDashboardIsWellFormed() throws IOException {
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards.files()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            assertThat(uids.add(dashboard.path("uid").asText())).as(file + " has a unique uid").isTrue();
            assertThat(dashboard.path("title").asText()).as(file + " title").isNotBlank();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.path("panels")) {
                String title = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt())).as(title + " has a unique id").isTrue();
                assertThat(panel.path("gridPos").path("w").asInt()).as(title + " width").isBetween(1, 24);
                if (!panel.path("type").asText().equals("row")) {
                    assertThat(panel.path("datasource").path("uid").asText()).as(title + " datasource")
                            .isEqualTo("prometheus");
                    assertThat(panel.path("targets")).as(title + " queries").isNotEmpty();
                    assertThat(panel.path("description").asText()).as(title + " description").isNotBlank();
                }
            }
        }
        assertThat(uids).hasSize(3);
    }

    @Test
    void theIssuesPanelsAreThere() {
        List<String> titles = dashboards.panels().stream().map(Panel::title).toList();
        assertThat(titles).contains("Top-1 against sparsity, latest checkpoint", "Top-1 over training, per sparsity",
                "Top-1 drop against dense, latest checkpoint", "Evaluations per minute", "Evaluation duration",
                "Variants per minute", "Pruning duration per variant", "Consumer lag",
                "Dead-lettered events, by reason", "Heap used");
    }

    @Test
    void everyMetricBelongsToAFamilyTheServicesExpose() {
        List<String> unknown = new ArrayList<>();
        for (String name : dashboards.metricNames()) {
            if (MetricFamily.of(name).isEmpty()) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as("metric names no service exposes").isEmpty();
        assertThat(dashboards.metricNames()).contains("evaluator_top1", "pruner_prune_duration_seconds_bucket",
                "kafka_consumer_fetch_manager_records_lag_max", "jvm_memory_used_bytes", "trainer_progress_step");
    }

    @Test
    void eachServiceIsAskedForItsOwnNames() {
        assertThat(dashboards.metricNamesExposedBy("trainer")).contains("trainer_progress_loss", "jvm_memory_used_bytes")
                .doesNotContain("kafka_consumer_fetch_manager_records_lag_max", "pruner_failures_total");
        assertThat(dashboards.metricNamesExposedBy("pruner"))
                .contains("pruner_failures_total", "kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void exposedNamesAreReadFromTheTextFormat() {
        String exposition = """
                # HELP a_total things
                # TYPE a_total counter
                a_total{reason="x"} 1.0
                b_seconds_bucket{le="0.1"} 2.0
                c 3.0
                """;
        assertThat(Dashboards.exposedNames(exposition)).containsExactly("a_total", "b_seconds_bucket", "c");
    }
}
