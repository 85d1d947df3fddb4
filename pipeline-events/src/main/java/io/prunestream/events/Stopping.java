package io.prunestream.events;

/**
 * How a variant scored sequentially stopped: {@code reason}, on a split of {@code splitImages} images (the event's
 * {@code samples} says how many were scored), under the rule of its evaluator: stop once the drop's interval is
 * narrower than {@code tolerance} either side, or lies wholly above {@code brokenDrop} (both as fractions: 0.005 is
 * half a point).
 */
public record Stopping(StopReason reason, long splitImages, double tolerance, double brokenDrop) {

    public Stopping {
        Require.present(reason, "stopping.reason");
        Require.atLeast(splitImages, 1, "stopping.splitImages");
        Require.between(tolerance, 0, 1, false, "stopping.tolerance");
        Require.between(brokenDrop, 0, 1, false, "stopping.brokenDrop");
        if (tolerance == 0 || brokenDrop == 0) {
            throw new IllegalArgumentException("stopping: tolerance " + tolerance + " and brokenDrop " + brokenDrop
                    + " must be above 0");
        }
    }
}
