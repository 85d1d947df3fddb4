package io.prunestream.evaluator.service;

import io.prunestream.events.Disagreements;
import io.prunestream.events.DropVsDense;
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

    /** The images the two disagree on, with McNemar's exact p-value. */
    static Disagreements disagreements(PairedComparison comparison) {
        return new Disagreements(comparison.firstOnly(), comparison.secondOnly(), comparison.mcNemarExactP());
    }
}
