/**
 * Structured pruning with TensorFlow: a network of a known architecture rebuilt physically smaller, with whole
 * filters removed, as a SavedModel that DJL loads like any other.
 */
package io.prunestream.tensorflow.structured;
