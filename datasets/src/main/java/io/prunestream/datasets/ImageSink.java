package io.prunestream.datasets;

/** Takes the images a split reads, in order, each with its position in the split. */
@FunctionalInterface
public interface ImageSink {

    void accept(int index, Image image) throws DatasetException;
}
