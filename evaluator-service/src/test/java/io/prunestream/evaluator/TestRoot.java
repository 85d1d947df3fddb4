package io.prunestream.evaluator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one folder every test resource of this module writes into (one model store, many datasets), so that all test
 * classes share one application and one broker: Quarkus restarts the application for a test class whose resources
 * differ, which costs a broker and a model training each time. Kept in a system property, which every class loader of
 * the test run sees.
 */
final class TestRoot {

    private static final String PROPERTY = "prunestream.evaluator.test-root";

    private TestRoot() {
    }

    static synchronized Path get() {
        String existing = System.getProperty(PROPERTY);
        if (existing != null) {
            return Path.of(existing);
        }
        try {
            Path root = Files.createTempDirectory("evaluator-test-");
            System.setProperty(PROPERTY, root.toString());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model store of every resource. */
    static Path store() {
        return get().resolve("models");
    }
}
