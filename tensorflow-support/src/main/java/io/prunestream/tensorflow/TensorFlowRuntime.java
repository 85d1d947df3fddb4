package io.prunestream.tensorflow;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one way into TensorFlow. DJL sets javacpp's preload path when its TensorFlow engine starts, and any
 * {@code org.tensorflow} class touched before that fails with {@code UnsatisfiedLinkError: no jnitensorflow}; so
 * every class in this package calls {@link #start()} first.
 *
 * <p>The natives come from the folder named by {@code TENSORFLOW_LIBRARY_PATH} (system property, then environment
 * variable). Without either, the folder the build unpacks ({@code target/natives/tensorflow-linux-x86_64} at the
 * project root) is looked for from the working directory upwards. Nothing is ever downloaded.
 */
public final class TensorFlowRuntime {

    public static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
    static final String ENGINE_NAME = "TensorFlow";
    private static final String UNPACKED = "target/natives/tensorflow-linux-x86_64";

    private static Engine engine;
    private static Path nativesDir;

    private TensorFlowRuntime() {
    }

    /** Starts the engine once per JVM and returns it. Thread-safe. */
    public static synchronized Engine start() throws TensorFlowException {
        if (engine == null) {
            nativesDir = locateNatives();
            // DJL reads both as system properties; the second stops it from probing a cloud metadata endpoint.
            System.setProperty(LIBRARY_PATH, nativesDir.toString());
            if (System.getProperty("OPT_OUT_TRACKING") == null) {
                System.setProperty("OPT_OUT_TRACKING", "true");
            }
            try {
                engine = Engine.getEngine(ENGINE_NAME);
            } catch (RuntimeException | LinkageError e) {
                throw new TensorFlowException("cannot start the TensorFlow engine on the natives in " + nativesDir
                        + ": " + e, e);
            }
        }
        return engine;
    }

    /** The natives folder in use; starts the engine if needed. */
    public static synchronized Path nativesDir() throws TensorFlowException {
        start();
        return nativesDir;
    }

    /** DJL's version and the version of the TensorFlow natives really loaded, for provenance records. */
    public static Map<String, String> versions() throws TensorFlowException {
        start();
        return Map.of("djl", Engine.getDjlVersion(), "tensorflow", org.tensorflow.TensorFlow.version());
    }

    private static Path locateNatives() throws TensorFlowException {
        Optional<String> configured = Optional.ofNullable(System.getProperty(LIBRARY_PATH))
                .or(() -> Optional.ofNullable(System.getenv(LIBRARY_PATH)))
                .filter(value -> !value.isBlank());
        if (configured.isPresent()) {
            Path dir = Path.of(configured.get()).toAbsolutePath();
            requireNatives(dir, LIBRARY_PATH + "=" + configured.get());
            return dir;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(UNPACKED);
            if (Files.isDirectory(candidate)) {
                requireNatives(candidate, "the unpacked natives found at " + candidate);
                return candidate;
            }
        }
        throw new TensorFlowException("TensorFlow natives not found: set " + LIBRARY_PATH + " (system property or"
                + " environment variable) to the folder that 'mvn package' unpacks them into (" + UNPACKED
                + " at the project root), or run from inside the project");
    }

    private static void requireNatives(Path dir, String origin) throws TensorFlowException {
        try (Stream<Path> files = Files.list(dir)) {
            if (files.noneMatch(f -> f.getFileName().toString().startsWith("libtensorflow_cc.so"))) {
                throw new TensorFlowException("no libtensorflow_cc.so in " + dir + " (from " + origin + ")");
            }
        } catch (IOException e) {
            throw new TensorFlowException("cannot read the TensorFlow natives folder " + dir + " (from " + origin
                    + "): " + e, e);
        }
    }
}
