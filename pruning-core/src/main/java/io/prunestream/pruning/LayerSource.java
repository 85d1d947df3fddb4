package io.prunestream.pruning;

/**
 * A model's prunable layers, read one at a time when asked: for kernels too large to be in memory together (a 1 GB
 * model under a 512 MB heap). Each {@link #read} may read the layer again from where it lives; callers drop what they
 * read before asking for the next.
 */
public interface LayerSource {

    /** How many layers, in model order. */
    int count();

    /** Layer {@code index}'s number of weights, known without reading them. */
    long size(int index);

    /** Layer {@code index} with its values, read now. */
    LayerWeights read(int index);
}
