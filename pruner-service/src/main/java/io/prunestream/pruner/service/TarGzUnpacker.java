package io.prunestream.pruner.service;

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
 * Unpacks an uploaded {@code .tar.gz} of a SavedModel into a folder, refusing anything that could write outside it
 * (absolute paths, {@code ..}, links) or grow past a size limit, compressed or unpacked. A single top-level folder
 * around the model is taken away.
 */
final class TarGzUnpacker {

    private final long maxBytes;

    TarGzUnpacker(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void unpack(InputStream upload, Path folder) throws PruneFailure {
        long written = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new LimitedInputStream(upload, maxBytes)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw invalid("entry '" + name + "' is a link; links are not accepted");
                }
                if (!entry.isDirectory() && !entry.isFile()) {
                    throw invalid("entry '" + name + "' is neither a file nor a folder");
                }
                Path target = folder.resolve(name).normalize();
                if (name.startsWith("/") || name.contains("\\") || List.of(name.split("/")).contains("..")
                        || !target.startsWith(folder)) {
                    throw invalid("entry '" + name + "' points outside the model folder");
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
                        if (written > maxBytes) {
                            throw invalid("the unpacked model exceeds pruner.max-upload-bytes (" + maxBytes + ")");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (LimitedInputStream.LimitExceeded e) {
            throw invalid("the upload exceeds pruner.max-upload-bytes (" + maxBytes + ")");
        } catch (IOException e) {
            throw invalid("not a readable .tar.gz: " + e.getMessage());
        }
        hoistSingleFolder(folder);
    }

    /** {@code model/saved_model.pb} becomes {@code saved_model.pb}. */
    private static void hoistSingleFolder(Path folder) throws PruneFailure {
        try {
            if (Files.exists(folder.resolve("saved_model.pb"))) {
                return;
            }
            List<Path> children;
            try (Stream<Path> list = Files.list(folder)) {
                children = list.toList();
            }
            if (children.size() == 1 && Files.isDirectory(children.get(0))
                    && Files.exists(children.get(0).resolve("saved_model.pb"))) {
                try (Stream<Path> inner = Files.list(children.get(0))) {
                    for (Path child : inner.toList()) {
                        Files.move(child, folder.resolve(child.getFileName()));
                    }
                }
                Files.delete(children.get(0));
                return;
            }
        } catch (IOException e) {
            throw invalid("cannot arrange the unpacked files: " + e.getMessage());
        }
        throw invalid("the archive holds no saved_model.pb (at its top or in one folder)");
    }

    private static PruneFailure invalid(String message) {
        return new PruneFailure(FailureReason.INVALID_UPLOAD, message);
    }

    /** Fails once more than {@code limit} bytes were read. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {

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
