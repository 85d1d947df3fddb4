package io.prunestream.tensorflow.model;

import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A prunable weight tensor: a conv kernel {@code [h, w, in, out]} or a dense kernel {@code [in, out]}. A filter is
 * one index of the last axis; {@code fanIn} is the size of one filter.
 */
public record Kernel(String name, Variable<TFloat32> variable, long[] shape) {

    public long fanIn() {
        long fanIn = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            fanIn *= shape[i];
        }
        return fanIn;
    }

    public long filters() {
        return shape[shape.length - 1];
    }

    public long size() {
        return fanIn() * filters();
    }
}
