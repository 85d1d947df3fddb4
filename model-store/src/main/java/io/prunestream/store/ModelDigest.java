package io.prunestream.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code modelDigest} of a model directory: sha256 over every regular file, in the order of their relative
 * paths ({@code /}-separated, compared as UTF-8 bytes), each contributing its path, a zero byte, its size as an
 * 8-byte big-endian number and its content. Any language can compute it (docs/events.md has a Python version). A
 * directory holding a symbolic link is refused: a link could make the digest cover files outside the model.
 */
public final class ModelDigest {

    public static final String PREFIX = "sha256:";

    private ModelDigest() {
    }

    public static String of(Path directory) throws ModelStoreException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelStoreException("cannot digest " + directory + ": not a directory");
        }
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[1 << 16];
        for (FileEntry entry : entries(directory)) {
            sha256.update(entry.name());
            sha256.update((byte) 0);
            sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(entry.size()).array());
            try (InputStream in = Files.newInputStream(entry.path())) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    sha256.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new ModelStoreException("cannot read " + entry.path() + ": " + e, e);
            }
        }
        return PREFIX + HexFormat.of().formatHex(sha256.digest());
    }

    /** The bytes of the files the digest covers: the model's size on disk. */
    public static long bytes(Path directory) throws ModelStoreException {
        return entries(directory).stream().mapToLong(FileEntry::size).sum();
    }

    /** Checks that {@code directory} still has the digest an event announced. */
    public static void verify(Path directory, String expected) throws ModelStoreException {
        String actual = of(directory);
        if (!actual.equals(expected)) {
            throw new ModelStoreException("model " + directory + " has digest " + actual + " but the event says "
                    + expected);
        }
    }

    private record FileEntry(byte[] name, Path path, long size) {
    }

    private static List<FileEntry> entries(Path directory) throws ModelStoreException {
        List<FileEntry> entries = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(path)) {
                    throw new ModelStoreException("model directory " + directory + " contains a symbolic link: "
                            + path);
                }
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    String relative = directory.relativize(path).toString().replace('\\', '/');
                    entries.add(new FileEntry(relative.getBytes(StandardCharsets.UTF_8), path, Files.size(path)));
                }
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot list " + directory + ": " + e, e);
        }
        entries.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        return entries;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
