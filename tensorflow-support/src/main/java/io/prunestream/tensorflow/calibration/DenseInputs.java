package io.prunestream.tensorflow.calibration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The dense network's input of each reconstructed kernel on the calibration images: what a pruned layer is solved to
 * reproduce the dense layer's output from. All of them are fetched in one pass and kept when they fit in
 * {@link #BUDGET_BYTES} (measured on one image first); a model too large for that gets one dense pass per kernel.
 */
final class DenseInputs implements AutoCloseable {

    /** The most the kept inputs may take. */
    static final long BUDGET_BYTES = 512L << 20;

    private final Session session;
    private final String input;
    private final TFloat32 images;
    private final Map<String, Integer> kept = new HashMap<>();
    private Result all;
    private Result current;

    private DenseInputs(Session session, String input, TFloat32 images) {
        this.session = session;
        this.input = input;
        this.images = images;
    }

    /**
     * The dense inputs {@code tensors} for {@code images} fed as {@code input}; {@code oneImage} (the first image
     * alone) tells how large they are.
     */
    static DenseInputs open(Session session, String input, TFloat32 images, TFloat32 oneImage, List<String> tensors) {
        DenseInputs dense = new DenseInputs(session, input, images);
        // The model's input is fed, not fetched: it is the images themselves.
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(tensors.stream()
                .filter(t -> !dense.isInput(t)).toList()));
        if (distinct.isEmpty()) {
            return dense;
        }
        long perImage = 0;
        try (Result sizes = fetch(session, input, oneImage, distinct)) {
            for (int i = 0; i < distinct.size(); i++) {
                perImage += 4 * sizes.get(i).size();
            }
        }
        if (perImage * images.shape().get(0) <= BUDGET_BYTES) {
            dense.all = fetch(session, input, images, distinct);
            for (int i = 0; i < distinct.size(); i++) {
                dense.kept.put(distinct.get(i), i);
            }
        }
        return dense;
    }

    /** The dense network's value of {@code tensor}, valid until the next call or {@link #close()}. */
    TFloat32 of(String tensor) {
        if (isInput(tensor)) {
            return images;
        }
        Integer index = kept.get(tensor);
        if (index != null) {
            return (TFloat32) all.get(index);
        }
        if (current != null) {
            current.close();
        }
        current = fetch(session, input, images, List.of(tensor));
        return (TFloat32) current.get(0);
    }

    private boolean isInput(String tensor) {
        return withIndex(tensor).equals(withIndex(input));
    }

    private static String withIndex(String tensor) {
        return tensor.contains(":") ? tensor : tensor + ":0";
    }

    private static Result fetch(Session session, String input, TFloat32 images, List<String> tensors) {
        Session.Runner runner = session.runner().feed(input, images);
        tensors.forEach(runner::fetch);
        return runner.run();
    }

    @Override
    public void close() {
        if (all != null) {
            all.close();
        }
        if (current != null) {
            current.close();
        }
    }
}
