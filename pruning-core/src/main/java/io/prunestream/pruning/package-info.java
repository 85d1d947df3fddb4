/**
 * Pruning maths on plain float arrays, with no native code: an O(n) selection of the magnitude threshold, masks
 * that prune exactly the target count, recovery strategies (zero, mean per filter or per layer), and the per-layer
 * report. A kernel's filter is an index of its last axis (TensorFlow's layout).
 */
package io.prunestream.pruning;
