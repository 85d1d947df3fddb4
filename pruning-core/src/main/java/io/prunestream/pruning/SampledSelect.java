package io.prunestream.pruning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The {@code count} smallest magnitudes of several layers, marked, in one streaming pass over the weights: a sample of
 * the magnitudes brackets the threshold between two of its values, lo and hi; the pass writes the mask of everything
 * below lo as bit-set words (branch-free), counts it, and keeps the positions of the few weights in [lo, hi]; the
 * threshold is then selected among those alone and their bits set. Exact whatever the sample: when the count shows that
 * the bracket missed the rank, {@link RadixSelect} and {@link Magnitudes#mark} do it again in three passes. Ties are
 * taken by layer, then position, as {@link Magnitudes#mark} takes them. Runs over chunks of the layers on every core
 * (the common fork-join pool); nothing is allocated per weight.
 */
final class SampledSelect {

    /** Below this many weights, sampling saves nothing against {@link RadixSelect}'s three passes. */
    static final int MIN_WEIGHTS = 1 << 16;
    static final int SAMPLE = 1 << 15;

    /** Chunks start at multiples of 64 within their layer, so no two chunks write the same word of a mask. */
    private static final int CHUNK = RadixSelect.CHUNK;

    private SampledSelect() {
    }

    /** The threshold (the largest pruned magnitude) and each layer's mask. */
    record Selected(float threshold, BitSet[] masks) {
    }

    static Selected select(List<LayerWeights> layers, int count) {
        return select(layers, count, SAMPLE);
    }

    /** As {@link #select(List, int)}, with the sample size given (tests make the bracket miss with a small one). */
    static Selected select(List<LayerWeights> layers, int count, int sampleSize) {
        long total = 0;
        for (LayerWeights layer : layers) {
            total += layer.size();
        }
        if (count == 0 || total < MIN_WEIGHTS) {
            return byRadix(layers, count);
        }
        List<float[]> sample = List.of(sample(layers, total, sampleSize));
        // The sample's rank of the threshold, widened by three standard deviations of a sampled quantile either way
        // (the sample is stratified, so that is wider still); a miss only costs the redo.
        double q = (count - 1) / (double) total;
        double rank = q * sampleSize;
        double spread = 3 * Math.sqrt(sampleSize * q * (1 - q)) + 8;
        int lo = Float.floatToRawIntBits(RadixSelect.kthSmallestMagnitude(sample, (long) Math.max(0,
                Math.floor(rank - spread))));
        int hi = Float.floatToRawIntBits(RadixSelect.kthSmallestMagnitude(sample, (long) Math.min(sampleSize - 1,
                Math.ceil(rank + spread))));
        long[][] words = new long[layers.size()][];
        List<Chunk> chunks = chunks(layers, words, total, lo, hi, (long) (1.3 * total * (hi > lo
                ? Math.min(1.0, 2 * spread / sampleSize) : 0)));
        chunks.parallelStream().forEach(Chunk::pass);
        long below = 0;
        long inRange = 0;
        for (Chunk chunk : chunks) {
            if (chunk.overflowed) {
                return byRadix(layers, count);
            }
            below += chunk.below;
            inRange += chunk.inRange;
        }
        if (below >= count || below + inRange < count) {
            return byRadix(layers, count);
        }
        float threshold = lo == hi ? Float.intBitsToFloat(lo) : kept(chunks, inRange, count - 1 - below);
        if (Float.isNaN(threshold)) {
            throw new IllegalArgumentException("a weight is NaN: magnitudes have no order");
        }
        markKept(chunks, Float.floatToRawIntBits(threshold), count - below);
        BitSet[] masks = new BitSet[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            masks[l] = BitSet.valueOf(words[l]);
        }
        return new Selected(threshold, masks);
    }

    private static Selected byRadix(List<LayerWeights> layers, int count) {
        float threshold = Magnitudes.threshold(layers, count);
        return new Selected(threshold, Magnitudes.mark(layers, threshold, count));
    }

    /** Magnitudes at evenly spread positions, each moved by a hash within its stride, so no axis aliases. */
    private static float[] sample(List<LayerWeights> layers, long total, int size) {
        float[] sample = new float[size];
        double stride = total / (double) size;
        int layer = 0;
        long start = 0;
        for (int s = 0; s < size; s++) {
            long jitter = (long) (((s * 0x9E3779B9L) & 0xFFFFFFFFL) / 4294967296.0 * stride);
            long position = Math.min(total - 1, (long) (s * stride) + jitter);
            while (position >= start + layers.get(layer).size()) {
                start += layers.get(layer).size();
                layer++;
            }
            sample[s] = Math.abs(layers.get(layer).values()[(int) (position - start)]);
        }
        return sample;
    }

    /** The chunks of every layer, in order; each layer's mask words go to {@code words}, shared by its chunks. */
    private static List<Chunk> chunks(List<LayerWeights> layers, long[][] words, long total, int lo, int hi,
            long expectedInRange) {
        List<Chunk> chunks = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            float[] values = layers.get(l).values();
            words[l] = new long[(values.length + 63) >>> 6];
            for (int from = 0; from < values.length; from += CHUNK) {
                int to = Math.min(values.length, from + CHUNK);
                int capacity = (int) Math.min(to - from, 64 + expectedInRange * (to - from) / total);
                chunks.add(new Chunk(values, words[l], from, to, lo, hi, capacity));
            }
        }
        return chunks;
    }

    /** The rank-th smallest of the bracketed magnitudes, all chunks together. */
    private static float kept(List<Chunk> chunks, long inRange, long rank) {
        float[] candidates = new float[(int) inRange];
        int n = 0;
        for (Chunk chunk : chunks) {
            for (int c = 0; c < chunk.inRange; c++) {
                candidates[n++] = Float.intBitsToFloat(chunk.bits[c]);
            }
        }
        return RadixSelect.kthSmallestMagnitude(List.of(candidates), rank);
    }

    /**
     * Sets the bits of the bracketed weights below the threshold and of the first ties, in chunk order (layer, then
     * position), until {@code left} more are marked: each chunk counts its own in parallel, the ties are shared out
     * in order, and each chunk sets its bits in parallel. A bracket of one value kept no positions: its ties are found
     * by reading the chunks again in order, only as far as they are taken.
     */
    private static void markKept(List<Chunk> chunks, int threshold, long left) {
        if (chunks.get(0).lo == chunks.get(0).hi) {
            for (int c = 0; c < chunks.size() && left > 0; c++) {
                left -= chunks.get(c).takeEqual(threshold, left);
            }
            return;
        }
        chunks.parallelStream().forEach(chunk -> chunk.count(threshold));
        long ties = left;
        for (Chunk chunk : chunks) {
            ties -= chunk.belowThreshold;
        }
        for (Chunk chunk : chunks) {
            chunk.ties = Math.min(chunk.equalThreshold, ties);
            ties -= chunk.ties;
        }
        chunks.parallelStream().forEach(chunk -> chunk.mark(threshold));
    }

    /**
     * A run of one layer that one task reads: it writes the words of the layer's mask for its positions, counts what
     * is below lo, and keeps the positions and magnitude bits of what is in [lo, hi] (only counts them when lo = hi).
     */
    private static final class Chunk {
        final float[] values;
        final long[] words;
        final int from;
        final int to;
        final int lo;
        final int hi;
        int[] positions;
        int[] bits;
        long below;
        int inRange;
        boolean overflowed;
        int belowThreshold;
        int equalThreshold;
        long ties;

        Chunk(float[] values, long[] words, int from, int to, int lo, int hi, int capacity) {
            this.values = values;
            this.words = words;
            this.from = from;
            this.to = to;
            this.lo = lo;
            this.hi = hi;
            this.positions = new int[lo == hi ? 0 : capacity];
            this.bits = new int[lo == hi ? 0 : capacity];
        }

        void set(int position) {
            words[position >>> 6] |= 1L << position;
        }

        void pass() {
            // (b - lo) is negative exactly when b < lo (both in [0, 2^31)), so its sign bit is the mask bit; unsigned,
            // it is at most hi - lo exactly when b is in [lo, hi]. No branch but the rare one that keeps a weight.
            int span = (hi - lo) + Integer.MIN_VALUE;
            boolean keep = lo != hi;
            long count = 0;
            int n = 0;
            int wholeEnd = to & ~63;
            for (int w = from >>> 6; w < wholeEnd >>> 6; w++) {
                int base = w << 6;
                long word = 0;
                for (int j = 0; j < 64; j++) {
                    int offset = (Float.floatToRawIntBits(values[base + j]) & 0x7FFFFFFF) - lo;
                    word |= (long) (offset >>> 31) << j;
                    if (offset + Integer.MIN_VALUE <= span) {
                        n = inRange(n, keep, base + j, offset + lo);
                    }
                }
                words[w] = word;
                count += Long.bitCount(word);
            }
            for (int i = Math.max(from, wholeEnd); i < to; i++) {
                int offset = (Float.floatToRawIntBits(values[i]) & 0x7FFFFFFF) - lo;
                if (offset < 0) {
                    set(i);
                    count++;
                } else if (offset + Integer.MIN_VALUE <= span) {
                    n = inRange(n, keep, i, offset + lo);
                }
            }
            below = count;
            inRange = n;
        }

        /** Keeps one bracketed weight; a chunk whose bracketed weights outgrow half of it gives up (radix redoes). */
        private int inRange(int n, boolean keep, int position, int magnitude) {
            if (keep && !overflowed) {
                if (n == positions.length) {
                    if (2 * n > to - from) {
                        overflowed = true;
                        return n + 1;
                    }
                    positions = Arrays.copyOf(positions, Math.max(64, 2 * n));
                    bits = Arrays.copyOf(bits, positions.length);
                }
                positions[n] = position;
                bits[n] = magnitude;
            }
            return n + 1;
        }

        /** Counts the kept weights below and equal to {@code threshold}. */
        void count(int threshold) {
            int less = 0;
            int equal = 0;
            for (int c = 0; c < inRange; c++) {
                less += bits[c] < threshold ? 1 : 0;
                equal += bits[c] == threshold ? 1 : 0;
            }
            belowThreshold = less;
            equalThreshold = equal;
        }

        /** Sets the bits of the kept weights below {@code threshold} and of the first {@code ties} equal to it. */
        void mark(int threshold) {
            long left = ties;
            for (int c = 0; c < inRange; c++) {
                if (bits[c] < threshold || (bits[c] == threshold && left-- > 0)) {
                    set(positions[c]);
                }
            }
        }

        /** Marks up to {@code left} weights whose magnitude bits equal {@code threshold}, by position; how many. */
        long takeEqual(int threshold, long left) {
            long taken = 0;
            for (int i = from; i < to && taken < left; i++) {
                if ((Float.floatToRawIntBits(values[i]) & 0x7FFFFFFF) == threshold) {
                    set(i);
                    taken++;
                }
            }
            return taken;
        }
    }
}
