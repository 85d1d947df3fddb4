package io.prunestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The provisioned Grafana dashboards ({@code deploy/grafana/dashboards/*.json}): their panels and metric names. */
public final class Dashboards {

    /** Where the dashboards live, relative to the repository root. */
    public static final Path FOLDER = Path.of("deploy", "grafana", "dashboards");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,)]+)");

    private final Path folder;

    private Dashboards(Path folder) {
        this.folder = folder;
    }

    /** The dashboards in {@code folder}. */
    public static Dashboards in(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no dashboard folder at " + folder.toAbsolutePath());
        }
        return new Dashboards(folder);
    }

    /**
     * The repository's dashboards, found from the working directory upwards: tests run in a module's folder, scripts at
     * the root.
     */
    public static Dashboards ofRepository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(FOLDER))) {
                return new Dashboards(dir.resolve(FOLDER));
            }
        }
        throw new IllegalStateException("no " + FOLDER + " above " + Path.of("").toAbsolutePath());
    }

    /** The dashboard files, sorted by name. */
    public List<Path> files() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> String.valueOf(f.getFileName()).endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** Every panel that runs queries, rows' nested panels included. */
    public List<Panel> panels() {
        List<Panel> panels = new ArrayList<>();
        for (Path file : files()) {
            collect(String.valueOf(file.getFileName()), read(file).path("panels"), panels);
        }
        return panels;
    }

    /** The queries of the dashboards' template variables (such as {@code label_values(evaluator_top1, run)}). */
    public List<String> variableQueries() {
        List<String> queries = new ArrayList<>();
        for (Path file : files()) {
            for (JsonNode variable : read(file).path("templating").path("list")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText("") : query.asText("");
                if ("query".equals(variable.path("type").asText()) && !text.isBlank()) {
                    queries.add(text);
                }
            }
        }
        return queries;
    }

    /** Every metric name the panels and variables read. */
    public Set<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        panels().forEach(p -> p.queries().forEach(q -> names.addAll(PromQl.metricNames(q))));
        for (String query : variableQueries()) {
            Matcher labelValues = LABEL_VALUES.matcher(query);
            names.addAll(labelValues.find() ? PromQl.metricNames(labelValues.group(1)) : PromQl.metricNames(query));
        }
        return names;
    }

    /** The metric names of the families {@code service} exposes: what that service's {@code /q/metrics} must list. */
    public Set<String> metricNamesExposedBy(String service) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : metricNames()) {
            MetricFamily.of(name).filter(f -> f.exposedBy(service)).ifPresent(f -> names.add(name));
        }
        return names;
    }

    /** The names of the samples in a Prometheus text exposition ({@code /q/metrics}). */
    public static Set<String> exposedNames(String exposition) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                names.add(line.substring(0, end));
            }
        }
        return names;
    }

    private static void collect(String dashboard, JsonNode panels, List<Panel> into) {
        for (JsonNode panel : panels) {
            collect(dashboard, panel.path("panels"), into);
            List<String> queries = new ArrayList<>();
            boolean instant = false;
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText(""));
                instant |= target.path("instant").asBoolean(false) && !target.path("range").asBoolean(false);
            }
            if (!queries.isEmpty()) {
                into.add(new Panel(dashboard, panel.path("title").asText(""), panel.path("type").asText(""), instant,
                        queries));
            }
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard " + file + ": " + e.getMessage(), e);
        }
    }
}
