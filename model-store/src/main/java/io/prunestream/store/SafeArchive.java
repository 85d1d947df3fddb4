package io.prunestream.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks an uploaded {@code .tar.gz} (a model, a dataset) into a folder, refusing anything that could write outside
 * it (absolute paths, {@code ..}, links, devices) or grow past its limits: the bytes uploaded, the bytes unpacked (a
 * decompression bomb stops at the limit, not at the disk's end) and the number of entries. The caller stages the
 * folder, so a refused archive leaves nothing behind.
 */
public final class SafeArchive {

    private final long maxUploadBytes;
    private final long maxUnpackedBytes;
    private final int maxEntries;
    private final String limitName;

    /**
     * @param limitName the setting the limits come from, for messages ({@code pruner.max-upload-bytes})
     */
    public SafeArchive(long maxUploadBytes, long maxUnpackedBytes, int maxEntries, String limitName) {
        this.maxUploadBytes = maxUploadBytes;
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.maxEntries = maxEntries;
        this.limitName = limitName;
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /** The setting the limits come from, as messages name it. */
    public String limitName() {
        return limitName;
    }

    /** Unpacks {@code upload} into {@code folder} (existing, empty). */
    public void unpack(InputStream upload, Path folder) throws ArchiveRefusedException {
        long written = 0;
        int entries = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new LimitedInputStream(upload, maxUploadBytes)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                if (++entries > maxEntries) {
                    throw new ArchiveRefusedException("the archive holds more than " + maxEntries + " entries");
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new ArchiveRefusedException("entry '" + name + "' is a link; links are not accepted");
                }
                if (!entry.isDirectory() && !entry.isFile()) {
                    throw new ArchiveRefusedException("entry '" + name + "' is neither a file nor a folder");
                }
                Path target = folder.resolve(name).normalize();
                if (name.startsWith("/") || name.contains("\\") || List.of(name.split("/")).contains("..")
                        || !target.startsWith(folder)) {
                    throw new ArchiveRefusedException("entry '" + name + "' points outside the folder it unpacks"
                            + " into");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Path parent = target.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try (OutputStream out = Files.newOutputStream(target)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = tar.read(buffer); n >= 0; n = tar.read(buffer)) {
                        written += n;
                        if (written > maxUnpackedBytes) {
                            throw new ArchiveRefusedException("the archive unpacks to more than " + maxUnpackedBytes
                                    + " bytes (" + limitName + "; a decompression bomb?)");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (LimitedInputStream.LimitExceeded e) {
            throw new ArchiveRefusedException("the upload exceeds " + limitName + " (" + maxUploadBytes + " bytes)");
        } catch (IOException e) {
            throw new ArchiveRefusedException("not a readable .tar.gz: " + e.getMessage(), e);
        }
    }

    /** {@code folder}'s one top-level folder, when it holds nothing else: the archive's wrapper, to be hoisted. */
    public static Path singleFolder(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            List<Path> children = list.toList();
            return children.size() == 1 && Files.isDirectory(children.get(0)) ? children.get(0) : null;
        }
    }

    /** Moves everything in {@code inner} up into its parent and removes it: {@code model/x} becomes {@code x}. */
    public static void hoist(Path inner) throws IOException {
        Path parent = inner.getParent();
        Path moved = inner.resolveSibling(inner.getFileName() + ".hoisting");
        Files.move(inner, moved);
        try (Stream<Path> children = Files.list(moved)) {
            for (Path child : children.toList()) {
                Files.move(child, parent.resolve(child.getFileName()));
            }
        }
        Files.delete(moved);
    }

    /** Fails once more than {@code limit} bytes were read. */
    private static final class LimitedInputStream extends FilterInputStream {

        static final class LimitExceeded extends IOException {
            LimitExceeded() {
                super("limit exceeded");
            }
        }

        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > limit) {
                throw new LimitExceeded();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (count += n) > limit) {
                throw new LimitExceeded();
            }
            return n;
        }
    }
}
