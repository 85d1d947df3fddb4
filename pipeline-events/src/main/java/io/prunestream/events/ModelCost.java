package io.prunestream.events;

/**
 * What a model costs to keep and to run: its parameters (weights, biases, batch-norm scales and shifts), its
 * multiply-adds for one image (convolutions and dense layers, counted the same way for every method; a variant with
 * zeroed weights costs what its dense network does, since the zeros are still multiplied) and the bytes of its
 * SavedModel folder.
 */
public record ModelCost(long parameters, long multiplyAdds, long fileBytes) {

    public ModelCost {
        Require.atLeast(parameters, 1, "cost.parameters");
        Require.atLeast(multiplyAdds, 0, "cost.multiplyAdds");
        Require.atLeast(fileBytes, 0, "cost.fileBytes");
    }
}
