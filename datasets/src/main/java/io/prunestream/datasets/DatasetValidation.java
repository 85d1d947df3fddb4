package io.prunestream.datasets;

/**
 * Reads every image of a dataset once, as registration does before it accepts one: a corrupt image, a truncated
 * file, a shard that fails its checksum stops it, named. Images are decoded a block at a time and dropped, so a split
 * of any size is checked in bounded memory.
 */
public final class DatasetValidation {

    private static final int BLOCK = 256;

    private DatasetValidation() {
    }

    /** Decodes every image of every split of {@code dataset}; returns how many. */
    public static int decodeAll(Dataset dataset) throws DatasetException {
        int images = 0;
        for (ImageSplit split : dataset.splits().values()) {
            if (split.size() == 0) {
                throw new DatasetException("split '" + split.name() + "' of dataset '" + dataset.name()
                        + "' holds no image");
            }
            int[] seen = {0};
            for (int from = 0; from < split.size(); from += BLOCK) {
                split.read(from, Math.min(split.size(), from + BLOCK), (index, image) -> seen[0]++);
            }
            images += seen[0];
        }
        return images;
    }
}
