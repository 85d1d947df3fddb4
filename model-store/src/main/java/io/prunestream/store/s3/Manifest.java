package io.prunestream.store.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.ModelStoreException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * What a complete folder in the bucket holds: each object's path, size and SHA-256. Written after every object it
 * lists, so that its presence is what makes a folder visible; readers fetch only what it lists and check each
 * object against it.
 */
public record Manifest(int version, List<Entry> objects) {

    /** The manifest's key inside its folder; never copied into the local folder, so digests stay the model's. */
    public static final String NAME = "prunestream-manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Manifest {
        objects = List.copyOf(objects);
    }

    /** One object: its path relative to the folder ('/'-separated), size in bytes and lower-case hex SHA-256. */
    public record Entry(String path, long size, String sha256) {
    }

    /** The manifest of a local folder's regular files, in path order. */
    public static Manifest of(Path folder) throws ModelStoreException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (Files.isSymbolicLink(path)) {
                    throw new ModelStoreException("folder " + folder + " contains a symbolic link: " + path);
                }
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    String relative = folder.relativize(path).toString().replace('\\', '/');
                    entries.add(new Entry(relative, Files.size(path), sha256(path)));
                }
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot list " + folder + ": " + e, e);
        }
        return new Manifest(1, entries);
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a manifest always serialises", e);
        }
    }

    /** Reads a manifest; an unreadable one makes the folder a corrupt model, named by {@code where}. */
    public static Manifest parse(byte[] json, S3Location where) throws ModelStoreException {
        try {
            Manifest manifest = JSON.readValue(json, Manifest.class);
            if (manifest.version() != 1 || manifest.objects() == null) {
                throw new IOException("unknown manifest version " + manifest.version());
            }
            return manifest;
        } catch (IOException | RuntimeException e) {
            throw new ModelStoreException(Problem.OTHER, "the manifest of " + where + " is unreadable: "
                    + e.getMessage(), e);
        }
    }

    public long bytes() {
        return objects.stream().mapToLong(Entry::size).sum();
    }

    /** The lower-case hex SHA-256 of a file's content. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DigestUtils.sha256Hex(in);
        }
    }
}
