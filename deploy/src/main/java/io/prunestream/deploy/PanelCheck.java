package io.prunestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every dashboard panel's queries against a real Prometheus, the way Grafana would over a time window, and says
 * which returned data. Used by {@code deploy/check-dashboards.sh}.
 *
 * <pre>PanelCheck PROMETHEUS_URL START END REPORT_FILE [name=value ...]</pre>
 *
 * START and END are Unix seconds; each name=value replaces the Grafana variable {@code $name}. Variables not given are
 * "every value" ({@code .*}); {@code $__rate_interval} is four scrape intervals. Exit status 1 when a panel has no
 * query with data.
 */
public final class PanelCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEP_SECONDS = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String prometheus;
    private final long start;
    private final long end;
    private final Map<String, String> variables = new LinkedHashMap<>();

    private PanelCheck(String prometheus, long start, long end) {
        this.prometheus = prometheus.replaceAll("/$", "");
        this.start = start;
        this.end = end;
        variables.put("__rate_interval", (4 * STEP_SECONDS) + "s");
        variables.put("__interval", STEP_SECONDS + "s");
        variables.put("__range", (end - start) + "s");
    }

    /** What one query returned: series, and samples that are numbers (not NaN). */
    record Result(int series, int samples) {
        boolean hasData() {
            return samples > 0;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PanelCheck PROMETHEUS_URL START END REPORT_FILE [name=value ...]");
            System.exit(2);
        }
        PanelCheck check = new PanelCheck(args[0], Long.parseLong(args[1]), Long.parseLong(args[2]));
        for (int i = 4; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            check.variables.put(pair[0], pair[1]);
        }
        List<String> report = new ArrayList<>();
        int empty = 0;
        int panels = 0;
        report.add("| dashboard | panel | query | series | samples | data |");
        report.add("|---|---|---|---|---|---|");
        for (Panel panel : Dashboards.ofRepository().panels()) {
            panels++;
            boolean any = false;
            for (String query : panel.queries()) {
                Result result = check.run(check.substitute(query), panel.instant());
                any |= result.hasData();
                report.add("| " + panel.dashboard().replace(".json", "") + " | " + panel.title() + " | `"
                        + query.replace("|", "\\|") + "` | " + result.series() + " | " + result.samples() + " | "
                        + (result.hasData() ? "yes" : "**no**") + " |");
            }
            if (!any) {
                empty++;
            }
        }
        report.add("");
        report.add(panels - empty + " of " + panels + " panels returned data.");
        Files.write(Path.of(args[3]), report, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        report.forEach(out::println);
        System.exit(empty == 0 ? 0 : 1);
    }

    private String substitute(String query) {
        String result = query;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            result = result.replace("${" + variable.getKey() + "}", variable.getValue())
                    .replace("$" + variable.getKey(), variable.getValue());
        }
        return result.replaceAll("\\$\\{?\\w+}?", ".*");
    }

    private Result run(String query, boolean instant) throws IOException, InterruptedException {
        String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
        String url = instant
                ? prometheus + "/api/v1/query?query=" + q + "&time=" + end
                : prometheus + "/api/v1/query_range?query=" + q + "&start=" + start + "&end=" + end + "&step="
                        + STEP_SECONDS;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("Prometheus refused " + query + ": " + body.path("error").asText());
        }
        int series = 0;
        int samples = 0;
        for (JsonNode one : body.path("data").path("result")) {
            series++;
            List<JsonNode> values = new ArrayList<>();
            one.path("values").forEach(values::add);
            if (one.has("value")) {
                values.add(one.path("value"));
            }
            for (JsonNode value : values) {
                String number = value.path(1).asText();
                if (!number.equals("NaN")) {
                    samples++;
                }
            }
        }
        return new Result(series, samples);
    }
}
