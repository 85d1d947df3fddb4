package io.prunestream.deploy;

import java.util.List;

/**
 * One Grafana panel and the PromQL queries it runs.
 *
 * @param dashboard the dashboard's file name
 * @param title     the panel's title
 * @param type      the panel type ({@code timeseries}, {@code barchart}, ...)
 * @param instant   whether the queries are instant queries (a value now) rather than range queries
 * @param queries   the queries' expressions, as written (with Grafana variables)
 */
public record Panel(String dashboard, String title, String type, boolean instant, List<String> queries) {

    public Panel {
        queries = List.copyOf(queries);
    }
}
