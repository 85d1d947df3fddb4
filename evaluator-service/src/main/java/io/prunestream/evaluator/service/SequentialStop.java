package io.prunestream.evaluator.service;

import io.prunestream.events.DropVsDense;
import io.prunestream.events.ScoreInterval;
import io.prunestream.events.StopReason;
import io.prunestream.events.Stopping;
import io.prunestream.statistics.Correctness;
import io.prunestream.statistics.DropSequence;
import io.prunestream.statistics.Interval;
import io.prunestream.statistics.MeanSequence;
import java.util.function.IntPredicate;

/**
 * The stopping rule of a variant scored sequentially against its dense model's per-image results: fed each batch's
 * results in the split's order, it says when the variant's drop is known well enough (its confidence sequence
 * narrower than the tolerance either side), or known to be past the broken cut. Its intervals are confidence sequences
 * (Waudby-Smith and Ramdas), valid at whatever image the rule stops; a fixed-sample interval read after a data-chosen
 * stop is not.
 */
final class SequentialStop {

    private final Correctness dense;
    private final double tolerance;
    private final double brokenDrop;
    private final double level;
    private final DropSequence drop;
    private final MeanSequence top1;
    private StopReason reason;

    /**
     * @param dense the dense model's results on the whole split, in its order
     * @param tolerance the drop's half-width to stop at, a fraction
     * @param brokenDrop the drop above which a variant is broken, a fraction
     */
    SequentialStop(Correctness dense, double tolerance, double brokenDrop, double level) {
        this.dense = dense;
        this.tolerance = tolerance;
        this.brokenDrop = brokenDrop;
        this.level = level;
        this.drop = new DropSequence(level, dense.images());
        this.top1 = new MeanSequence(level, dense.images());
    }

    /**
     * Takes the variant's results on images {@code from .. from + n - 1} of the split's order ({@code correct}, by
     * position) and says whether to stop now: the reason, or null to go on.
     */
    StopReason observe(IntPredicate correct, int from, int n) {
        for (int p = from; p < from + n; p++) {
            drop.add(dense.isCorrect(p), correct.test(p));
            top1.add(correct.test(p) ? 1 : 0);
        }
        Interval interval = drop.interval();
        if (drop.images() == dense.images()) {
            reason = StopReason.EXHAUSTED;
        } else if (interval.width() <= 2 * tolerance) {
            reason = StopReason.PRECISE;
        } else if (interval.low() > brokenDrop) {
            reason = StopReason.BROKEN;
        }
        return reason;
    }

    /** Why it stopped; {@code exhausted} when the split ran out before the rule said stop. */
    Stopping stopping() {
        return new Stopping(reason == null ? StopReason.EXHAUSTED : reason, dense.images(), tolerance, brokenDrop);
    }

    /**
     * The whole split's top-1's interval, widened where need be to hold the top-1 of the images scored (which the
     * running intersection may in rare runs leave out; a wider set covers at least as often).
     */
    ScoreInterval top1Interval() {
        Interval interval = top1.interval();
        double estimate = top1.estimate();
        return new ScoreInterval(Math.min(interval.low(), estimate), Math.max(interval.high(), estimate), level);
    }

    /** The whole split's drop's interval, around the drop on the images scored, widened as {@link #top1Interval}. */
    DropVsDense dropVsDense() {
        Interval interval = drop.interval();
        double estimate = drop.estimate();
        return new DropVsDense(estimate, Math.min(interval.low(), estimate), Math.max(interval.high(), estimate),
                level);
    }
}
