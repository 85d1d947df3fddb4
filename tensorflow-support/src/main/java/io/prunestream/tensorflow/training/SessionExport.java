package io.prunestream.tensorflow.training;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.tensorflow.TensorFlowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Session;

/** The model of a training session as it is after an epoch: what a {@link TrainingListener} may take from it. */
final class SessionExport implements ModelExport {

    private final Session session;
    private final TrainingGraph model;
    private final TppSchedule tpp;
    private final List<Long> inputShape;

    SessionExport(Session session, TrainingGraph model, TppSchedule tpp, ArchitectureSpec architecture) {
        this.session = session;
        this.model = model;
        this.tpp = tpp;
        List<Integer> in = architecture.inputShape();
        this.inputShape = List.of(-1L, (long) in.get(0), (long) in.get(1), (long) in.get(2));
    }

    @Override
    public void exportTo(Path directory) throws TensorFlowException {
        if (holdsFiles(directory)) {
            throw new TensorFlowException("cannot export to " + directory + ": it is not empty");
        }
        model.network.export(session, directory);
    }

    @Override
    public NetworkSpec network() {
        return model.network.spec;
    }

    @Override
    public List<Long> inputShape() {
        return inputShape;
    }

    @Override
    public List<int[]> removedFilters() {
        return tpp.removedFilters();
    }

    @Override
    public Map<String, float[]> weights() {
        return model.network.weights(session);
    }

    @Override
    public float[] logits(LabeledImages data) {
        return SessionInference.logits(session, model, data);
    }

    private static boolean holdsFiles(Path directory) throws TensorFlowException {
        if (!Files.exists(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new TensorFlowException("cannot read " + directory + ": " + e, e);
        }
    }
}
