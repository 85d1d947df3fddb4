/**
 * Structured pruning on plain arrays: which whole channels to keep, from an importance per channel
 * ({@link ChannelSelection}: a share per group, or one global cut to a multiply-add target; {@link FilterRanking} by
 * L1 norm; {@link GateThreshold} from trained gates at a multiply-add target), what a network costs ({@link LayerCost}:
 * parameters and multiply-adds, counted the same way for every method; {@link ChannelCostModel}: multiply-adds as a
 * function of the channels each group keeps), and how tensors lose channels ({@link ChannelSlice}). No native code.
 */
package io.prunestream.pruning.structured;
