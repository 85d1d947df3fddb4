package io.prunestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** docker-compose.yml and its GPU override against the Compose Specification, and the files they name. */
class ComposeFilesTest {

    private static final JsonSchema COMPOSE = Schemas.load("compose-spec.json", SpecVersion.VersionFlag.V201909);

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.gpu.yml"})
    void validatesAgainstTheComposeSpecification(String file) {
        List<JsonNode> documents = Repository.documents(Repository.path(file));
        assertThat(documents).hasSize(1);
        assertThat(Schemas.problems(COMPOSE, documents.get(0))).as(file).isEmpty();
    }

    @Test
    void theSchemaCatchesAMisspeltKey() throws IOException {
        JsonNode compose = Repository.YAML.readTree("services:\n  a:\n    image: x\n    restrt: always\n");
        assertThat(Schemas.problems(COMPOSE, compose)).anyMatch(p -> p.contains("restrt"));
    }

    @Test
    void everyFileItNamesExistsAndEveryDependencyIsAService() throws IOException {
        JsonNode compose = Repository.documents(Repository.path("docker-compose.yml")).get(0);
        JsonNode services = compose.path("services");
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> service = it.next();
            String name = service.getKey();
            JsonNode build = service.getValue().path("build");
            if (!build.isMissingNode()) {
                Path dockerfile = Repository.path(build.path("context").asText(".")).resolve(
                        build.path("dockerfile").asText("Dockerfile")).normalize();
                if (Files.isRegularFile(dockerfile)) {
                    problems.addAll(copySourcesOutsideTheContext(dockerfile));
                } else {
                    problems.add(name + ": no Dockerfile at " + dockerfile);
                }
            }
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./") && !Files.exists(Repository.path(source))) {
                    problems.add(name + ": mounts " + source + ", which does not exist");
                }
            }
            for (Iterator<String> deps = service.getValue().path("depends_on").fieldNames(); deps.hasNext();) {
                String dependency = deps.next();
                if (!services.has(dependency)) {
                    problems.add(name + ": depends on '" + dependency + "', which is no service");
                }
            }
        }
        JsonNode gpu = Repository.documents(Repository.path("docker-compose.gpu.yml")).get(0);
        gpu.path("services").fieldNames().forEachRemaining(s -> {
            if (!services.has(s)) {
                problems.add("docker-compose.gpu.yml overrides '" + s + "', which docker-compose.yml does not have");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void theServicesAreScrapedWhereTheyListen() {
        Set<String> scraped = new HashSet<>();
        for (JsonNode job : Repository.documents(Repository.path("deploy/prometheus/prometheus.yml")).get(0)
                .path("scrape_configs")) {
            job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> scraped.add(t.asText())));
            job.path("dns_sd_configs").forEach(c -> c.path("names")
                    .forEach(n -> scraped.add(n.asText() + ":" + c.path("port").asText())));
        }
        JsonNode services = Repository.documents(Repository.path("docker-compose.yml")).get(0).path("services");
        for (String service : List.of("trainer", "pruner", "evaluator")) {
            String port = services.path(service).path("ports").get(0).asText().split(":")[1];
            assertThat(scraped).as("Prometheus scrape targets").contains(service + ":" + port);
        }
    }

    /**
     * The sources a Dockerfile copies from the build context must pass {@code .dockerignore}, which sends only the
     * build outputs: a COPY of anything else would fail at build time.
     */
    private static List<String> copySourcesOutsideTheContext(Path dockerfile) throws IOException {
        List<String> allowed = Files.readAllLines(Repository.path(".dockerignore")).stream()
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        List<String> problems = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile)) {
            if (!line.startsWith("COPY ") || line.contains("--from=")) {
                continue;
            }
            String[] words = line.replace("--chown=185 ", "").split("\\s+");
            for (int i = 1; i < words.length - 1; i++) {
                String source = words[i].replace("${NATIVES}", "tensorflow-linux-x86_64");
                if (allowed.stream().noneMatch(source::startsWith)) {
                    problems.add(Repository.ROOT.relativize(dockerfile) + " copies " + words[i]
                            + ", which .dockerignore keeps out of the context");
                }
            }
        }
        return problems;
    }
}
