/**
 * Reading a SavedModel's graph without running it: which checkpoint key each variable node holds, and which float
 * variables conv and dense ops consume as weights, in the graph itself and in the library functions that
 * {@code StatefulPartitionedCall}s reach (TF2 and Keras SavedModels keep all their compute there).
 */
package io.prunestream.tensorflow.graph;
