/**
 * Dataset formats whose records are TensorFlow's own: TFRecord shards of {@code tf.train.Example}s, read (and, for
 * fixtures and benchmarks, written) with the TensorFlow Java API's protos; offered to the dataset catalogue as a
 * {@link io.prunestream.datasets.DatasetFormat} through {@link java.util.ServiceLoader}.
 */
package io.prunestream.tensorflow.data;
