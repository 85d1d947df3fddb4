package io.prunestream.events;

import java.util.List;

/**
 * What an evaluator fed a model: the input's shape ({@code -1} for the batch: {@code [-1, 784]},
 * {@code [-1, 28, 28]}, {@code [-1, 28, 28, 1]} or {@code [-1, 1, 28, 28]} for 28x28 grey images) and the
 * preprocessing its pixels went through.
 */
public record InputFeed(List<Long> shape, Preprocessing preprocessing) {

    public InputFeed {
        shape = List.copyOf(Require.present(shape, "input.shape"));
        if (shape.size() < 2) {
            throw new IllegalArgumentException("input.shape: " + shape + " must have a batch axis and the image's");
        }
        Require.present(preprocessing, "input.preprocessing");
    }
}
