package io.prunestream.pruning;

import java.util.BitSet;

/** Which weights of one layer are pruned, and the magnitude threshold that chose them. */
public record Mask(BitSet pruned, int count, float threshold) {

    public boolean isPruned(int index) {
        return pruned.get(index);
    }
}
