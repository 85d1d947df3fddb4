package io.prunestream.tensorflow.model;

import java.util.List;

/**
 * Filters that can be removed physically, together: the {@code producers} (a conv kernel and the batch-norm
 * vectors after it) hold one entry per filter on their last axis; the {@code consumer} (the next conv kernel,
 * {@code [h, w, in, out]}) reads them on its input axis. Nothing else sees these channels: in a residual block that
 * is the inner conv, whose output never reaches the shortcut's add.
 */
public record FilterGroup(List<String> producers, String consumer, int filters) {

    public FilterGroup {
        producers = List.copyOf(producers);
    }
}
