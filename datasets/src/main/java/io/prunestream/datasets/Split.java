package io.prunestream.datasets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two splits and their standard MNIST file names ({@code train-images-idx3-ubyte.gz} ...,
 * {@code t10k-labels-idx1-ubyte.gz}), so a folder of official MNIST or Fashion-MNIST files works as it is.
 */
public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
        this.prefix = prefix;
    }

    public String imagesFileName() {
        return prefix + "-images-idx3-ubyte.gz";
    }

    public String labelsFileName() {
        return prefix + "-labels-idx1-ubyte.gz";
    }

    /** Loads this split from a folder holding the standard files, gzipped or not. */
    public LabeledImages load(Path folder) throws DatasetException {
        return IdxFiles.read(find(folder, imagesFileName()), find(folder, labelsFileName()));
    }

    private static Path find(Path folder, String gzName) throws DatasetException {
        Path gz = folder.resolve(gzName);
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = folder.resolve(gzName.substring(0, gzName.length() - ".gz".length()));
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DatasetException("dataset folder " + folder + " has neither " + gzName + " nor "
                + plain.getFileName() + " (run scripts/fetch-dataset.sh, or point at a folder of IDX files)");
    }
}
