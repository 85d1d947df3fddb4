package io.prunestream.tensorflow.data;

import com.google.protobuf.ByteString;
import io.prunestream.datasets.ImageEncoder;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.Split;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.Int64List;

/**
 * Writes images as TFDS lays them out: {@code <name>-<split>.tfrecord-0000k-of-0000n} shards of
 * {@code tf.train.Example}s holding the encoded image ({@code image}) and its class ({@code label}), plain or
 * GZIP-compressed. For test fixtures and benchmarks; {@link TfRecordFormat} reads them.
 */
public final class TfRecordWriter {

    private TfRecordWriter() {
    }

    /**
     * Both splits ({@code null} splits left out) into {@code dir}, each in {@code shards} shards, images encoded as
     * {@code imageFormat} ({@code png} or {@code jpg}, JPEG at quality 0.95).
     */
    public static void write(Path dir, String name, LabeledImages train, LabeledImages test, int shards,
            boolean gzip, String imageFormat) throws IOException {
        Files.createDirectories(dir);
        for (Split split : Split.values()) {
            LabeledImages images = split == Split.TRAIN ? train : test;
            if (images == null) {
                continue;
            }
            int perShard = (images.count() + shards - 1) / shards;
            for (int s = 0; s < shards; s++) {
                Path shard = dir.resolve(String.format(Locale.ROOT, "%s-%s.tfrecord-%05d-of-%05d", name,
                        split.label(), s, shards));
                try (OutputStream out = create(shard, gzip)) {
                    for (int i = s * perShard; i < Math.min(images.count(), (s + 1) * perShard); i++) {
                        TfRecords.write(out, example(ImageEncoder.encode(images.image(i), imageFormat, 0.95f),
                                images.label(i), "image", "label"));
                    }
                }
            }
        }
    }

    /** One Example: the encoded image under {@code imageKey}, the label as an int64 under {@code labelKey}. */
    public static byte[] example(byte[] encodedImage, long label, String imageKey, String labelKey) {
        return Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature(imageKey, Feature.newBuilder().setBytesList(BytesList.newBuilder()
                        .addValue(ByteString.copyFrom(encodedImage))).build())
                .putFeature(labelKey, Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(label))
                        .build()))
                .build().toByteArray();
    }

    /** A shard file, GZIP-compressed where {@code gzip}. */
    public static OutputStream create(Path shard, boolean gzip) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(shard), 1 << 16);
        return gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
    }
}
