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
 * The dense network's input of each reconstructed kernel on the calibration images, batch by batch: what a pruned
 * layer is solved to reproduce the dense layer's output from. All of them are fetched in one pass per batch and kept
 * when they fit in {@link #BUDGET_BYTES} (measured on one image first); a model too large for that gets one dense
 * pass per kernel and batch.
 */
final class DenseInputs implements AutoCloseable {

    /** The most the kept inputs may take. */
    static final long BUDGET_BYTES = 512L << 20;

    /** Makes the input tensor of batch {@code b}; the caller closes it. */
    @FunctionalInterface
    interface Batches {
        TFloat32 batch(int b);
    }

    private final Session session;
    private final String input;
    private final Map<String, Integer> kept = new HashMap<>();
    private final List<Result> all = new ArrayList<>();
    private Result current;

    private DenseInputs(Session session, String input) {
        this.session = session;
        this.input = input;
    }

    /**
     * The dense inputs {@code tensors} of every batch that {@code batches} makes; {@code perImage} (bytes of all of
     * them for one image, {@link #perImage}) and {@code images} tell whether they can be kept.
     */
    static DenseInputs open(Session session, String input, Batches batches, int count, long perImage, int images,
            List<String> tensors) {
        DenseInputs dense = new DenseInputs(session, input);
        List<String> distinct = dense.fetched(tensors);
        if (!distinct.isEmpty() && perImage * images <= BUDGET_BYTES) {
            for (int b = 0; b < count; b++) {
                try (TFloat32 batch = batches.batch(b)) {
                    dense.all.add(fetch(session, input, batch, distinct));
                }
            }
            for (int i = 0; i < distinct.size(); i++) {
                dense.kept.put(distinct.get(i), i);
            }
        }
        return dense;
    }

    /** Bytes of each of {@code tensors} for one image ({@code oneImage}), by tensor. */
    static Map<String, Long> perImage(Session session, String input, TFloat32 oneImage, List<String> tensors) {
        DenseInputs probe = new DenseInputs(session, input);
        List<String> distinct = probe.fetched(tensors);
        Map<String, Long> sizes = new HashMap<>();
        if (distinct.isEmpty()) {
            return sizes;
        }
        try (Result result = fetch(session, input, oneImage, distinct)) {
            for (int i = 0; i < distinct.size(); i++) {
                sizes.put(distinct.get(i), 4 * result.get(i).size());
            }
        }
        return sizes;
    }

    /** The tensors to fetch: each once, the model's input left out (it is fed, not fetched: it is the images). */
    private List<String> fetched(List<String> tensors) {
        return new ArrayList<>(new LinkedHashSet<>(tensors.stream().filter(t -> !isInput(t)).toList()));
    }

    /**
     * The dense network's value of {@code tensor} on batch {@code b} (fed as {@code images}), valid until the next
     * call or {@link #close()}.
     */
    TFloat32 of(String tensor, int b, TFloat32 images) {
        if (isInput(tensor)) {
            return images;
        }
        Integer index = kept.get(tensor);
        if (index != null) {
            return (TFloat32) all.get(b).get(index);
        }
        if (current != null) {
            current.close();
        }
        current = fetch(session, input, images, List.of(tensor));
        return (TFloat32) current.get(0);
    }

    boolean isInput(String tensor) {
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
        all.forEach(Result::close);
        if (current != null) {
            current.close();
        }
    }
}
