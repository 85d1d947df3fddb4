package io.prunestream.datasets;

import java.util.List;
import java.util.function.IntFunction;

/**
 * A split whose images are fixed-size records ({@link FixedRecords}), each turned into an image by {@code decode}:
 * IDX, CIFAR and NumPy arrays. Labels are held.
 */
final class RecordSplit extends LabeledSplit {

    /** Turns one record into its image; the record array is reused, so it is copied if kept. */
    @FunctionalInterface
    interface Decoder {
        Image decode(byte[] record) throws DatasetException;
    }

    /** The files the records are in, one after the other (CIFAR-10's five training batches). */
    private final List<FixedRecords> parts;
    private final int[] starts;
    private final IntFunction<String> where;
    private final Decoder decoder;

    RecordSplit(String name, int[] labels, ImageShape shape, FixedRecords records, IntFunction<String> where,
            Decoder decoder) {
        this(name, labels, shape, List.of(records), where, decoder);
    }

    RecordSplit(String name, int[] labels, ImageShape shape, List<FixedRecords> parts, IntFunction<String> where,
            Decoder decoder) {
        super(name, labels, shape);
        this.parts = List.copyOf(parts);
        this.starts = new int[parts.size() + 1];
        for (int p = 0; p < parts.size(); p++) {
            starts[p + 1] = starts[p] + parts.get(p).count();
        }
        if (labels.length != starts[parts.size()]) {
            throw new IllegalArgumentException(labels.length + " labels for " + starts[parts.size()] + " records");
        }
        this.where = where;
        this.decoder = decoder;
    }

    @Override
    public void read(int from, int to, ImageSink sink) throws DatasetException {
        for (int p = 0; p < parts.size() && from < to; p++) {
            if (from >= starts[p + 1]) {
                continue;
            }
            int start = starts[p];
            int end = Math.min(to, starts[p + 1]);
            parts.get(p).read(from - start, end - start, (index, record) -> sink.accept(start + index,
                    decoder.decode(record)));
            from = end;
        }
    }

    @Override
    public boolean randomAccess() {
        return parts.stream().allMatch(FixedRecords::randomAccess);
    }

    @Override
    public String locate(int index) {
        return where.apply(index);
    }
}
