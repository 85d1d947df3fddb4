package io.prunestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay as {@code kubectl kustomize} renders it, where kubectl is installed (skipped with the reason
 * elsewhere): it renders, and no rendered volume claim asks for ReadWriteMany, since the models live in a bucket.
 */
class KustomizeRenderTest {

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/single-node", "deploy/k8s/overlays/gpu",
        "deploy/k8s/overlays/external-s3"})
    void rendersWithoutASharedVolume(String dir) throws Exception {
        assumeTrue(kubectl(), "kubectl is not installed: the overlays are checked file by file only");
        Process process = new ProcessBuilder("kubectl", "kustomize", Repository.path(dir).toString())
                .redirectErrorStream(true).start();
        String rendered = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(rendered).isZero();
        List<String> kinds = new ArrayList<>();
        for (JsonNode document : Repository.YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered).readAll()) {
            kinds.add(document.path("kind").asText() + "/" + document.path("metadata").path("name").asText());
            for (JsonNode mode : document.path("spec").path("accessModes")) {
                assertThat(mode.asText()).as(dir + " " + kinds.get(kinds.size() - 1)).isNotEqualTo("ReadWriteMany");
            }
        }
        assertThat(kinds).contains("Deployment/pruner-service", "Deployment/evaluator-service");
        if (dir.endsWith("external-s3")) {
            assertThat(kinds).noneMatch(k -> k.endsWith("/object-store") || k.endsWith("/object-store-bucket"));
        } else {
            assertThat(kinds).contains("Deployment/object-store", "Job/object-store-bucket");
        }
    }

    private static boolean kubectl() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }
}
