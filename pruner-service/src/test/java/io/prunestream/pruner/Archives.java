package io.prunestream.pruner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** A folder as an uploadable {@code .tar.gz}, and a downloaded one as its files. */
final class Archives {

    private Archives() {
    }

    static byte[] tarGz(Path folder, String prefix) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
                var paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                TarArchiveEntry entry = new TarArchiveEntry(path.toFile(), prefix + folder.relativize(path));
                tar.putArchiveEntry(entry);
                tar.write(Files.readAllBytes(path));
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The regular files of a {@code .tar.gz}, by entry name. */
    static Map<String, byte[]> files(byte[] archive) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        return files;
    }

    /** The regular files under {@code folder}, by {@code prefix} + their relative path. */
    static Map<String, byte[]> files(Path folder, String prefix) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(prefix + folder.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return files;
    }
}
