package io.prunestream.datasets;

import java.util.List;
import java.util.function.IntFunction;

/** Checks on the labels a format read: in range, and how many classes they make where no names are given. */
public final class Labels {

    private Labels() {
    }

    /**
     * The class names of a format that stores labels as numbers: {@code declared} when given (every label must be
     * below its size), else {@code 0 .. max label}. A negative label, or one past the declared classes, is an error
     * naming where it is.
     */
    public static List<String> classes(List<String> declared, List<ImageSplit> splits) throws DatasetException {
        int max = -1;
        for (ImageSplit split : splits) {
            for (int i = 0; i < split.size(); i++) {
                int label = split.label(i);
                if (label < 0 || (declared != null && label >= declared.size())) {
                    throw new DatasetException("label " + label + " of " + split.locate(i) + " is outside 0.."
                            + (declared == null ? "" : String.valueOf(declared.size() - 1))
                            + (declared == null ? " (a label is a class number)" : " (the " + declared.size()
                                    + " declared classes)"));
                }
                max = Math.max(max, label);
            }
        }
        return declared != null ? declared : Dataset.numbered(max + 1);
    }

    /** Labels read as numbers of {@code bits} from {@code source}, checked to fit an int. */
    public static int checkedLabel(long value, IntFunction<String> where, int index) throws DatasetException {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new DatasetException("label " + value + " of " + where.apply(index) + " is outside 0.."
                    + Integer.MAX_VALUE);
        }
        return (int) value;
    }
}
