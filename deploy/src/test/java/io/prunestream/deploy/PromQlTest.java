package io.prunestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromQlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "evaluator_top1                                                                     | evaluator_top1",
        "100 * evaluator_top1{run=\"$run\", method=~\"$method\"}                           | evaluator_top1",
        "sum by (job, topic) (kafka_consumer_fetch_manager_records_lag)                    | kafka_consumer_fetch_manager_records_lag",
        "histogram_quantile(0.95, sum by (le) (rate(p_seconds_bucket[$__rate_interval])))  | p_seconds_bucket",
        "100 * a_step / a_total_steps                                                      | a_step a_total_steps",
        "sum(rate(x_total[5m] offset 1h)) / on(job) group_left(reason) y                    | x_total y",
        "max without (instance) (up == bool 1) or vector(0)                                 | up",
        "label_replace(z, \"dst\", \"$1\", \"src\", \"(.*)\")                              | z",
    })
    void findsTheMetricNames(String expression, String names) {
        assertThat(PromQl.metricNames(expression)).containsExactly(names.split(" "));
    }
}
