package io.prunestream.statistics;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/**
 * Which images of a split a model got right, by position: what a variant is compared with its dense model on, kept
 * as a compact bitset (1,250 bytes for 10,000 images) so the dense model is scored once per checkpoint.
 */
public final class Correctness {

    /** Written first, so that a file of another kind or version is refused rather than misread. */
    private static final int MAGIC = 0x50534331;

    private final BitSet correct;
    private final int images;

    public Correctness(BitSet correct, int images) {
        if (images < 1 || correct.length() > images) {
            throw new IllegalArgumentException("correctness of " + images + " images with bit " + (correct.length() - 1)
                    + " set");
        }
        this.correct = (BitSet) correct.clone();
        this.images = images;
    }

    public int images() {
        return images;
    }

    public int correct() {
        return correct.cardinality();
    }

    public boolean isCorrect(int image) {
        return correct.get(image);
    }

    /** The first {@code n} images' results: a model's on the part of the split a variant was scored on. */
    public Correctness first(int n) {
        if (n < 1 || n > images) {
            throw new IllegalArgumentException("the first " + n + " of " + images + " images");
        }
        return new Correctness(correct.get(0, n), n);
    }

    /**
     * This model (the dense one) against {@code other} (a variant) on the same images.
     *
     * @throws IllegalArgumentException if they were scored on different numbers of images
     */
    public PairedComparison against(Correctness other) {
        if (other.images != images) {
            throw new IllegalArgumentException("compared on " + images + " and " + other.images + " images");
        }
        BitSet both = (BitSet) correct.clone();
        both.and(other.correct);
        int agreeRight = both.cardinality();
        int firstOnly = correct() - agreeRight;
        int secondOnly = other.correct() - agreeRight;
        return new PairedComparison(agreeRight, firstOnly, secondOnly, images - agreeRight - firstOnly - secondOnly);
    }

    /** Magic, image count, then the bits as little-endian longs. */
    public byte[] encode() {
        long[] words = correct.toLongArray();
        ByteBuffer buffer = ByteBuffer.allocate(12 + 8 * ((images + 63) / 64));
        buffer.putInt(MAGIC).putLong(images);
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        for (long word : words) {
            buffer.putLong(word);
        }
        return buffer.array();
    }

    /** @throws IllegalArgumentException for bytes {@link #encode} did not write */
    public static Correctness decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < 12 || buffer.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a correctness file (" + bytes.length + " bytes)");
        }
        long images = buffer.getLong();
        if (images < 1 || images > Integer.MAX_VALUE || bytes.length != 12 + 8 * ((images + 63) / 64)) {
            throw new IllegalArgumentException("a correctness file of " + bytes.length + " bytes cannot hold "
                    + images + " images");
        }
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        long[] words = new long[buffer.remaining() / 8];
        for (int i = 0; i < words.length; i++) {
            words[i] = buffer.getLong();
        }
        return new Correctness(BitSet.valueOf(words), (int) images);
    }
}
