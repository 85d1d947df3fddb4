package io.prunestream.pruner.service;

import io.prunestream.events.PruningMethod;
import java.util.Locale;

/**
 * One structurally pruned variant: its method ({@code filter-l1}, {@code tpp} or {@code bottleneck}), how much it
 * removes ({@link Amount}) and the epochs of fine-tuning after removal (0: none).
 */
public record StructuredStep(PruningMethod method, Amount amount, int fineTuneEpochs) {

    /** How much a structured variant removes. */
    public sealed interface Amount {
    }

    /** The share of each removable group's filters removed, in (0, 1). */
    public record FilterShare(double ratio) implements Amount {

        public FilterShare {
            if (!(ratio > 0 && ratio < 1)) {
                throw new IllegalArgumentException("pruner.structured.ratios: " + ratio + " is outside (0, 1)");
            }
        }
    }

    /** The share of the full network's multiply-adds the variant keeps, in (0, 1). */
    public record MultiplyAddShare(double kept) implements Amount {

        public MultiplyAddShare {
            if (!(kept > 0 && kept < 1)) {
                throw new IllegalArgumentException("multiply-add target " + kept + " is outside (0, 1): it is a"
                        + " share of the full network's");
            }
        }
    }

    /** Whatever the checkpoint's own training chose to remove (TPP's filters, at its ratio). */
    public record CheckpointChoice() implements Amount {
    }

    /**
     * {@code <checkpointId>-l1-r5000} or {@code <checkpointId>-tpp-r5000} (the share of filters removed: the step's
     * own, or for a checkpoint's choice {@code ratio}), {@code -l1-f5000} or {@code -bn-f5000} (the share of
     * multiply-adds kept), with {@code -ft<n>} if fine-tuned.
     */
    public String variantId(String checkpointId, double ratio) {
        String name = switch (method) {
            case TPP -> "tpp";
            case BOTTLENECK -> "bn";
            default -> "l1";
        };
        double share;
        String kind = "r";
        if (amount instanceof FilterShare filters) {
            share = filters.ratio();
        } else if (amount instanceof MultiplyAddShare multiplyAdds) {
            share = multiplyAdds.kept();
            kind = "f";
        } else {
            share = ratio;
        }
        String amountPart = String.format(Locale.ROOT, "%s%04d", kind, Math.round(share * 10_000));
        return PruningPlan.boundedId(checkpointId, "-" + name + "-" + amountPart
                + (fineTuneEpochs > 0 ? "-ft" + fineTuneEpochs : ""));
    }
}
