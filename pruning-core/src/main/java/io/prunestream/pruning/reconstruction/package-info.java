/**
 * Layer-wise reconstruction after pruning (Optimal Brain Surgeon, as OBC and SparseGPT apply it): given a layer's
 * weights as rows of outputs over columns of inputs, and what its inputs' second moments make of the inverse Hessian,
 * choose the weights to remove and move the kept ones so that the layer's output on the calibration inputs changes
 * least. Plain arithmetic on arrays; the Hessian and its factorisations come from the caller.
 */
package io.prunestream.pruning.reconstruction;
