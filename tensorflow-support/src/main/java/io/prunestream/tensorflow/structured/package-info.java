/**
 * Structured pruning with TensorFlow: a network's structure read once from its graph ({@link
 * io.prunestream.tensorflow.structured.NetworkStructure}), AutoBot's gates trained on it ({@link
 * io.prunestream.tensorflow.structured.GateTraining}), and the network rebuilt physically smaller with whole channels
 * removed ({@link io.prunestream.tensorflow.structured.FilterRemoval}), as a SavedModel that DJL loads like any other.
 */
package io.prunestream.tensorflow.structured;
