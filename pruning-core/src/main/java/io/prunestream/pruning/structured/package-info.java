/**
 * Structured pruning on plain arrays: which whole filters to keep ({@link FilterRanking}), and what a network costs
 * ({@link LayerCost}: parameters and multiply-adds, counted the same way for every method). No native code.
 */
package io.prunestream.pruning.structured;
