package io.prunestream.pruner.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Streams a model folder as a {@code .tar.gz} whose one top folder is {@code name}: regular files and folders only
 * (a link is never followed out of the store), in a stable order, so the same model packs to the same bytes.
 */
final class TarGzPacker {

    private TarGzPacker() {
    }

    static void pack(Path folder, String name, OutputStream out) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted().toList();
        }
        // The response stream is the container's to close; closing the archive finishes it.
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(
                new NonClosing(out)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path path : paths) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                String entryName = name + (path.equals(folder) ? "" : "/" + folder.relativize(path).toString()
                        .replace('\\', '/'));
                boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
                TarArchiveEntry entry = new TarArchiveEntry(directory ? entryName + "/" : entryName);
                entry.setModTime(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS));
                if (!directory) {
                    entry.setSize(Files.size(path));
                }
                tar.putArchiveEntry(entry);
                if (!directory) {
                    Files.copy(path, tar);
                }
                tar.closeArchiveEntry();
            }
        }
    }

    /** Lets the archive finish without closing the response underneath it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
