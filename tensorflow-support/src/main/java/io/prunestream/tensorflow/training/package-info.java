/**
 * Training image classifiers in TensorFlow graph mode from Java, with what makes weights prunable without
 * fine-tuning: unit-norm filters (hyperspherical learning) and a penalty on the filters. {@link
 * io.prunestream.tensorflow.training.TrainingSpec} is the validated description of a training;
 * {@link io.prunestream.tensorflow.training.Trainer} runs it and hands out each epoch's model for export.
 */
package io.prunestream.tensorflow.training;
