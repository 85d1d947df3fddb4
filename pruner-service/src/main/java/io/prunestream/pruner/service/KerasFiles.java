package io.prunestream.pruner.service;

import io.prunestream.events.FailureReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Keras files offered where a SavedModel belongs: a {@code .keras} archive (a zip) or an {@code .h5} (HDF5) file holds
 * a model's weights for Keras alone, not a graph TensorFlow can run, so they are refused with how to export one.
 */
final class KerasFiles {

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final String EXPORT = "export a SavedModel folder first — Keras 3: model.export('my_model');"
            + " TF 2.x Keras: model.save('my_model') or tf.saved_model.save(model, 'my_model') — and upload it as a"
            + " .tar.gz of that folder";

    private KerasFiles() {
    }

    /** The refusal of an upload starting with {@code start}, or null when it is no Keras file. */
    static PruneFailure refusal(byte[] start) {
        if (startsWith(start, ZIP)) {
            return refused("the upload is a zip archive, as a Keras .keras file is, not a .tar.gz of a SavedModel");
        }
        if (startsWith(start, HDF5)) {
            return refused("the upload is an HDF5 file, as a Keras .h5 file is, not a .tar.gz of a SavedModel");
        }
        return null;
    }

    /** The refusal of a folder or file without {@code saved_model.pb} that holds a Keras file; null otherwise. */
    static PruneFailure refusal(Path model) {
        String name = String.valueOf(model.getFileName()).toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(model) && (name.endsWith(".keras") || name.endsWith(".h5"))) {
            return refused(model + " is a Keras " + name.substring(name.lastIndexOf('.')) + " file, not a SavedModel"
                    + " folder");
        }
        if (!Files.isDirectory(model)) {
            return null;
        }
        try (Stream<Path> files = Files.walk(model, 2)) {
            return files.map(f -> String.valueOf(f.getFileName()).toLowerCase(Locale.ROOT))
                    .filter(f -> f.endsWith(".keras") || f.endsWith(".h5")).findFirst()
                    .map(f -> refused(model + " holds the Keras file " + f + " and no saved_model.pb")).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(Arrays.copyOf(bytes, prefix.length), prefix);
    }

    private static PruneFailure refused(String what) {
        return new PruneFailure(FailureReason.INVALID_UPLOAD, what + ": " + EXPORT);
    }
}
