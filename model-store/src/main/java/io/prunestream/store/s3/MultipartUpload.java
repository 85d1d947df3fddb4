package io.prunestream.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.input.BoundedInputStream;
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
            return BoundedInputStream.builder().setInputStream(in).setMaxCount(length).get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
