package io.prunestream.tensorflow.training;

/**
 * Trainability-preserving pruning (TPP, Wang and Fu, ICLR 2023), scaled to a run of a few epochs. The run trains
 * normally for {@code splitEpochs}; then each removable layer (the inner conv of every residual block) chooses once,
 * by L1 norm, the {@code ratio} of its filters to remove. From there the loss adds, for those filters, the Gram
 * penalty {@code gramWeight · reg · (1/N²)·‖(W Wᵀ) ⊙ (1 − m mᵀ)‖²} (every entry that involves a removed filter, the
 * kept–kept block untouched) and a growing L2 decay {@code reg/2 · (‖w_i‖² + γ_i² + β_i²)} on the removed filters and
 * their batch-norm scale and shift; {@code reg} ramps linearly from 0 to {@code maxDecay} over {@code rampEpochs}.
 * The rest of the run stabilises at full strength, and the removed filters (with their batch-norm scale and shift)
 * are set to zero after every step, layer by layer, so that removing them changes nothing. Null fields take the
 * defaults: a third of the run for each phase, {@code maxDecay} 1 (the paper's) and {@code gramWeight} 1 / the
 * optimizer's learning rate: the paper's 1000 goes with its learning rate of 0.001 in this phase, and their product,
 * which sets the size of a step on the penalty, is what keeps the training stable (1000 at a learning rate of 0.05
 * made a small ResNet's loss NaN 8 steps into the ramp).
 */
public record TppSpec(Double ratio, Double splitEpochs, Double rampEpochs, Double gramWeight, Double maxDecay) {

    public TppSpec {
        if (ratio == null) {
            throw new IllegalArgumentException("method.tpp.ratio: is required (the share of filters to remove from"
                    + " each inner conv, in (0, 1))");
        }
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("method.tpp.ratio: " + ratio + " is outside (0, 1)");
        }
        if (splitEpochs != null) {
            Specs.nonNegative(splitEpochs, "method.tpp.splitEpochs");
        }
        if (rampEpochs != null) {
            Specs.positive(rampEpochs, "method.tpp.rampEpochs");
        }
        if (gramWeight != null) {
            Specs.nonNegative(gramWeight, "method.tpp.gramWeight");
        }
        maxDecay = Specs.positive(Specs.orDefault(maxDecay, 1.0), "method.tpp.maxDecay");
    }

    /** The Gram penalty's weight for a training at {@code learningRate}. */
    public double gramWeightFor(double learningRate) {
        return gramWeight != null ? gramWeight : 1 / learningRate;
    }

    /** Where the split happens, in epochs from the start, for a run of {@code epochs}. */
    public double splitAt(int epochs) {
        return splitEpochs != null ? splitEpochs : epochs / 3.0;
    }

    /** Where the ramp ends and stabilisation starts. */
    public double rampEnd(int epochs) {
        return splitAt(epochs) + (rampEpochs != null ? rampEpochs : epochs / 3.0);
    }

    /** Refuses phases that do not fit in a run of {@code epochs}: stabilisation needs some of it. */
    void check(int epochs) {
        if (rampEnd(epochs) >= epochs) {
            throw new IllegalArgumentException("method.tpp: split after " + splitAt(epochs) + " epochs and a ramp"
                    + " ending at " + rampEnd(epochs) + " leave no stabilisation in a run of " + epochs
                    + " epochs; shorten splitEpochs or rampEpochs, or train longer");
        }
    }

    /** The decay coefficient after {@code progress} epochs: 0 before the split, then the ramp, then its maximum. */
    public double regAt(double progress, int epochs) {
        double split = splitAt(epochs);
        if (progress < split) {
            return 0;
        }
        return maxDecay * Math.min(1, (progress - split) / (rampEnd(epochs) - split));
    }

    /**
     * Whether layer {@code group} (of {@code groups}) is zeroed after the step at {@code progress}: layer k from
     * (k+1)/(groups+1) of the way into the first half of stabilisation, as TPP zeroes layer k from iteration
     * (k+1)·100; every layer in the second half, so the exported model holds exact zeros.
     */
    public boolean zeroes(int group, int groups, double progress, int epochs) {
        double start = rampEnd(epochs);
        double half = (epochs - start) / 2;
        return progress >= start + half * (group + 1) / (groups + 1);
    }
}
