/**
 * A small vocabulary of layers ({@link io.prunestream.tensorflow.model.Layer}) that build TensorFlow graphs from
 * Java, and the architectures composed from it: a small CNN and the CIFAR-style ResNet family. Every conv and dense
 * kernel is registered as prunable, with TensorFlow's layout (the output channel on the last axis).
 */
package io.prunestream.tensorflow.model;
