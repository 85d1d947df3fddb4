/**
 * Pruning with a few unlabeled calibration images and no training: batch-norm statistics re-estimated on the pruned
 * network ({@link io.prunestream.tensorflow.calibration.BatchNormCalibration}), run on the SavedModel itself with its
 * functions inlined.
 */
package io.prunestream.tensorflow.calibration;
