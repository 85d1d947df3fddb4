package io.prunestream.objectstore;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * S3Proxy serving the S3 API (signature v2 and v4, multipart uploads, listing, batch deletes) from a folder: each
 * bucket a directory, each object a file, so that what a test or the local run stored survives a restart of the
 * server. Not a mock: the services' AWS SDK speaks real HTTP to it, as it would to MinIO or S3.
 */
public final class LocalObjectStore implements AutoCloseable {

    private final S3Proxy proxy;
    private final Path dir;

    private LocalObjectStore(S3Proxy proxy, Path dir) {
        this.proxy = proxy;
        this.dir = dir;
    }

    /**
     * Starts a server on {@code 127.0.0.1:port} (0: any free port) that keeps its buckets under {@code dir} and
     * accepts requests signed with {@code identity} / {@code credential}; creates the given buckets.
     */
    public static LocalObjectStore start(Path dir, int port, String identity, String credential, String... buckets)
            throws Exception {
        Files.createDirectories(dir);
        for (String bucket : buckets) {
            Files.createDirectories(dir.resolve(bucket));
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, credential)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IOException("the S3 server on port " + port + " did not start in 30 s (state "
                        + proxy.getState() + ")");
            }
            Thread.sleep(10);
        }
        return new LocalObjectStore(proxy, dir);
    }

    /** Where clients send requests, e.g. {@code http://127.0.0.1:19000}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public int port() {
        return proxy.getPort();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
