package io.prunestream.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The project's modules as built: each one's main classes (from {@code target/classes}), its artifact and the
 * project modules its {@code pom.xml} declares outside the test scope. Read from the repository root, the parent of
 * this module's folder.
 */
record Modules(Map<String, Module> byArtifact) {

    static final String GROUP = "io.prunestream";

    /** One module: its folder, the root package all its classes live under, its classes and declared modules. */
    record Module(String folder, String artifact, String rootPackage, JavaClasses classes, Set<String> declared) {
    }

    static Modules read() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Map<String, Module> modules = new LinkedHashMap<>();
        for (String folder : moduleFolders(root)) {
            Path classes = root.resolve(folder).resolve("target/classes");
            if (!Files.isDirectory(classes.resolve("io/prunestream"))) {
                continue;
            }
            Document pom = pom(root.resolve(folder).resolve("pom.xml"));
            String artifact = ownArtifact(pom);
            modules.put(artifact, new Module(folder, artifact, rootPackage(classes),
                    new ClassFileImporter().importPath(classes), declaredModules(pom)));
        }
        return new Modules(modules);
    }

    Module get(String artifact) {
        Module module = byArtifact.get(artifact);
        if (module == null) {
            throw new IllegalStateException("no built module " + artifact + " (modules: " + byArtifact.keySet()
                    + "); run the build from the repository root");
        }
        return module;
    }

    /** The root packages of the given artifacts, as patterns ArchUnit takes ({@code io.prunestream.pruner..}). */
    List<String> packagesOf(String... artifacts) {
        return Stream.of(artifacts).map(a -> get(a).rootPackage() + "..").toList();
    }

    private static List<String> moduleFolders(Path root) {
        NodeList nodes = pom(root.resolve("pom.xml")).getElementsByTagName("module");
        return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> nodes.item(i).getTextContent()
                .trim()).toList();
    }

    /** {@code io.prunestream.<first segment>}: every module keeps its classes under one package of its own. */
    private static String rootPackage(Path classes) {
        try (Stream<Path> top = Files.list(classes.resolve("io/prunestream"))) {
            List<String> names = top.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
            if (names.size() != 1) {
                throw new IllegalStateException(classes + " has classes under " + names + ", not under one package");
            }
            return GROUP + "." + names.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document pom(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String ownArtifact(Document pom) {
        return childText(pom.getDocumentElement(), "artifactId");
    }

    /** The project modules among the pom's dependencies, test scope left out. */
    private static Set<String> declaredModules(Document pom) {
        Set<String> declared = new LinkedHashSet<>();
        NodeList dependencies = pom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (dependency.getParentNode().getParentNode() != pom.getDocumentElement()) {
                continue; // a plugin's own dependency
            }
            if (GROUP.equals(childText(dependency, "groupId")) && !"test".equals(childText(dependency, "scope"))) {
                declared.add(childText(dependency, "artifactId"));
            }
        }
        return declared;
    }

    private static String childText(Element element, String name) {
        for (org.w3c.dom.Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
