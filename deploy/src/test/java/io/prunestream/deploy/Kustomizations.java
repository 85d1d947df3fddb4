package io.prunestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The kustomizations under {@code deploy/} and the files they name, read the way {@code kustomize build} reads them. */
final class Kustomizations {

    static final String FILE = "kustomization.yaml";

    private Kustomizations() {
    }

    /** Every kustomization file under {@code deploy/}. */
    static List<Path> all() {
        return Repository.files(Repository.path("deploy"), FILE).stream()
                .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/src/")).toList();
    }

    /** The resource files (not folders) that some kustomization lists. */
    static List<Path> manifests() {
        Set<Path> files = new LinkedHashSet<>();
        for (Path kustomization : all()) {
            for (JsonNode resource : read(kustomization).path("resources")) {
                Path path = resolve(kustomization, resource.asText());
                if (Files.isRegularFile(path)) {
                    files.add(path);
                }
            }
        }
        return List.copyOf(files);
    }

    /** The patch files some kustomization names. */
    static List<Path> patchFiles() {
        Set<Path> files = new LinkedHashSet<>();
        for (Path kustomization : all()) {
            for (JsonNode patch : read(kustomization).path("patches")) {
                if (patch.has("path")) {
                    files.add(resolve(kustomization, patch.path("path").asText()));
                }
            }
        }
        return List.copyOf(files);
    }

    /** Every resource document a kustomization builds from, through its folder resources (patches not applied). */
    static List<JsonNode> resources(Path kustomization) {
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode resource : read(kustomization).path("resources")) {
            Path path = resolve(kustomization, resource.asText());
            if (Files.isDirectory(path) && Files.isRegularFile(path.resolve(FILE))) {
                documents.addAll(resources(path.resolve(FILE)));
            } else if (Files.isRegularFile(path)) {
                documents.addAll(Repository.documents(path));
            }
        }
        return documents;
    }

    static JsonNode read(Path kustomization) {
        List<JsonNode> documents = Repository.documents(kustomization);
        if (documents.size() != 1) {
            throw new IllegalStateException(kustomization + " holds " + documents.size() + " documents, not 1");
        }
        return documents.get(0);
    }

    static Path resolve(Path kustomization, String relative) {
        return kustomization.getParent().resolve(relative).normalize();
    }
}
