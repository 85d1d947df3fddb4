/**
 * How sure a score is: a top-1's interval, a variant's drop against its dense model on the same images with the
 * images they disagree on, and the per-image correctness both are read from. Plain Java over Apache Commons
 * Statistics; no TensorFlow, no framework.
 */
package io.prunestream.statistics;
