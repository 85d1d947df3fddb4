package io.prunestream.evaluator.service;

import io.prunestream.events.Disagreements;
import io.prunestream.events.DropVsDense;
import io.prunestream.events.EvaluationEventBuilder;
import io.prunestream.events.ScoreInterval;
import io.prunestream.statistics.Correctness;
import io.prunestream.statistics.Interval;
import io.prunestream.statistics.PairedComparison;
import io.prunestream.statistics.Proportions;

/** An evaluation's uncertainty as its event carries it, from the per-image results. */
final class Uncertainty {

    private Uncertainty() {
    }

    /** The top-1's Wilson interval over the images scored. */
    static ScoreInterval top1(Correctness scored, double level) {
        Interval interval = Proportions.wilson(scored.correct(), scored.images(), level);
        return new ScoreInterval(interval.low(), interval.high(), level);
    }

    /** The drop against the dense model on the same images, with Newcombe's paired interval. */
    static DropVsDense drop(PairedComparison comparison, double level) {
        Interval interval = comparison.dropInterval(level);
        return new DropVsDense(comparison.drop(), interval.low(), interval.high(), level);
    }

    /**
     * A variant scored sequentially: its top-1's and drop's confidence sequences (valid at the image it stopped at,
     * for the whole split), the disagreements on the images it was scored on, and why it stopped.
     */
    static void sequential(EvaluationEventBuilder builder, SequentialStop stop, Correctness dense,
            Correctness variant) {
        PairedComparison scored = dense.first(variant.images()).against(variant);
        builder.top1Interval(stop.top1Interval()).dropVsDense(stop.dropVsDense()).disagreements(disagreements(scored))
                .stopping(stop.stopping());
    }

    /** The images the two disagree on, with McNemar's exact p-value. */
    static Disagreements disagreements(PairedComparison comparison) {
        return new Disagreements(comparison.firstOnly(), comparison.secondOnly(), comparison.mcNemarExactP());
    }
}
