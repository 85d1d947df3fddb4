package io.prunestream.tensorflow.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** One step of a network: takes the graph being built and an input, returns the output. */
@FunctionalInterface
public interface Layer {

    Operand<TFloat32> apply(GraphBuilder graph, Operand<TFloat32> input);
}
