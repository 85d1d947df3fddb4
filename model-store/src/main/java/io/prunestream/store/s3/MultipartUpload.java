package io.prunestream.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One large file in parts of a fixed size, read one part at a time, so that a 1 GB variant goes up with one part's
 * worth of memory at most. A failed upload is aborted, so the store keeps no invisible parts to bill for.
 */
final class MultipartUpload {

    private final S3Client client;
    private final long partBytes;

    MultipartUpload(S3Client client, long partBytes) {
        this.client = client;
        this.partBytes = partBytes;
    }

    void upload(Path file, long size, S3Location object) throws IOException {
        String uploadId = client.createMultipartUpload(r -> r.bucket(object.bucket()).key(object.key())).uploadId();
        boolean done = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long offset = 0;
            for (int number = 1; offset < size; number++) {
                long length = Math.min(partBytes, size - offset);
                long from = offset;
                int part = number;
                // A provider, not a stream: the SDK may read a part twice (signing, a reset connection).
                ContentStreamProvider content = () -> partOf(file, from, length);
                String etag = client.uploadPart(r -> r.bucket(object.bucket()).key(object.key())
                        .uploadId(uploadId).partNumber(part).contentLength(length),
                        RequestBody.fromContentProvider(content, length, "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
                offset += length;
            }
            client.completeMultipartUpload(r -> r.bucket(object.bucket()).key(object.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            done = true;
        } finally {
            if (!done) {
                abort(object, uploadId);
            }
        }
    }

    private void abort(S3Location object, String uploadId) {
        try {
            client.abortMultipartUpload(r -> r.bucket(object.bucket()).key(object.key()).uploadId(uploadId));
        } catch (SdkException e) {
            // The store is failing already; its lifecycle rule or the next attempt's cleanup removes the parts, and
            // the upload's own failure is the one worth reporting.
        }
    }

    private static InputStream partOf(Path file, long from, long length) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(from);
            return new BoundedStream(in, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The next {@code length} bytes of a stream: one part of the file. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
