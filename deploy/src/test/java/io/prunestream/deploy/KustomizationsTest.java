package io.prunestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every kustomization names files that exist, patches resources it has, and leaves no manifest unused. */
class KustomizationsTest {

    private static final Set<String> KEYS = Set.of("apiVersion", "kind", "namespace", "namePrefix", "nameSuffix",
            "labels", "commonAnnotations", "resources", "components", "patches", "images", "replicas",
            "configMapGenerator", "secretGenerator", "generatorOptions");

    @Test
    void theBaseAndItsOverlaysAreThere() {
        assertThat(Kustomizations.all()).extracting(p -> Repository.ROOT.relativize(p).toString())
                .contains("deploy/k8s/base/kustomization.yaml", "deploy/k8s/overlays/gpu/kustomization.yaml",
                        "deploy/k8s/overlays/single-node/kustomization.yaml", "deploy/grafana/kustomization.yaml");
    }

    @Test
    void everyNamedFileExistsAndEveryPatchHasATarget() {
        List<String> problems = new ArrayList<>();
        for (Path kustomization : Kustomizations.all()) {
            String where = Repository.ROOT.relativize(kustomization).toString();
            JsonNode k = Kustomizations.read(kustomization);
            for (Iterator<String> keys = k.fieldNames(); keys.hasNext();) {
                String key = keys.next();
                if (!KEYS.contains(key)) {
                    problems.add(where + ": unknown key '" + key + "'");
                }
            }
            for (JsonNode resource : k.path("resources")) {
                Path path = Kustomizations.resolve(kustomization, resource.asText());
                if (!Files.isRegularFile(path) && !Files.isRegularFile(path.resolve(Kustomizations.FILE))) {
                    problems.add(where + ": resource '" + resource.asText() + "' is neither a file nor a kustomization");
                }
            }
            for (JsonNode generator : k.path("configMapGenerator")) {
                for (JsonNode file : generator.path("files")) {
                    if (!Files.isRegularFile(Kustomizations.resolve(kustomization, file.asText()))) {
                        problems.add(where + ": configMapGenerator file '" + file.asText() + "' is missing");
                    }
                }
            }
            List<JsonNode> resources = Kustomizations.resources(kustomization);
            for (JsonNode patch : k.path("patches")) {
                problems.addAll(patchProblems(where, kustomization, patch, resources));
            }
            for (JsonNode image : k.path("images")) {
                String name = image.path("name").asText();
                boolean used = resources.stream().anyMatch(r -> r.findValuesAsText("image").stream()
                        .anyMatch(i -> i.equals(name) || i.startsWith(name + ":")));
                if (!used) {
                    problems.add(where + ": image '" + name + "' is used by no container");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noManifestIsLeftOut() {
        Set<Path> named = new HashSet<>(Kustomizations.manifests());
        named.addAll(Kustomizations.patchFiles());
        named.addAll(Kustomizations.all());
        assertThat(Repository.files(Repository.path("deploy/k8s"), ".yaml", ".yml"))
                .as("YAML files under deploy/k8s that no kustomization names").allMatch(named::contains);
    }

    @Test
    void theDashboardsConfigMapCarriesEveryDashboard() {
        JsonNode grafana = Kustomizations.read(Repository.path("deploy/grafana/kustomization.yaml"));
        List<String> files = new ArrayList<>();
        grafana.path("configMapGenerator").get(0).path("files").forEach(f -> files.add(f.asText()));
        assertThat(files).containsExactlyInAnyOrderElementsOf(Dashboards.ofRepository().files().stream()
                .map(f -> "dashboards/" + f.getFileName()).toList());
    }

    private static List<String> patchProblems(String where, Path kustomization, JsonNode patch,
            List<JsonNode> resources) {
        List<String> problems = new ArrayList<>();
        if (patch.has("path")) {
            Path file = Kustomizations.resolve(kustomization, patch.path("path").asText());
            if (!Files.isRegularFile(file)) {
                return List.of(where + ": patch '" + patch.path("path").asText() + "' is missing");
            }
            for (JsonNode document : Repository.documents(file)) {
                String kind = document.path("kind").asText();
                String name = document.path("metadata").path("name").asText();
                if (resources.stream().noneMatch(r -> r.path("kind").asText().equals(kind)
                        && r.path("metadata").path("name").asText().equals(name))) {
                    problems.add(where + ": patch " + file.getFileName() + " targets " + kind + "/" + name
                            + ", which the resources do not have");
                }
            }
            return problems;
        }
        String kind = patch.path("target").path("kind").asText();
        List<JsonNode> targets = resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
        if (targets.isEmpty()) {
            return List.of(where + ": inline patch targets kind '" + kind + "', which the resources do not have");
        }
        JsonNode operations;
        try {
            operations = Repository.YAML.readTree(patch.path("patch").asText());
        } catch (java.io.IOException e) {
            return List.of(where + ": inline patch does not parse: " + e.getMessage());
        }
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            String path = operation.path("path").asText();
            if (op.equals("replace") || op.equals("remove")) {
                for (JsonNode target : targets) {
                    if (target.at(path).isMissingNode()) {
                        problems.add(where + ": " + op + " " + path + " on " + kind + "/"
                                + target.path("metadata").path("name").asText() + ", which has no such field");
                    }
                }
            }
        }
        return problems;
    }
}
