package io.prunestream.tensorflow.training;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.tensorflow.Logits;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The network of a training session in inference mode, on a whole split. */
final class SessionInference {

    private static final int BATCH = 1000;

    /** Mean cross-entropy and top-1 accuracy on a split. */
    record Scores(double loss, double accuracy) {
    }

    private SessionInference() {
    }

    static Scores evaluate(Session session, TrainingGraph model, LabeledImages data) {
        int classes = model.network.spec.architecture().classes();
        float[] logits = logits(session, model, data);
        double lossSum = 0;
        long correct = 0;
        for (int i = 0; i < data.count(); i++) {
            lossSum += Logits.crossEntropy(logits, i * classes, classes, data.label(i));
            if (Logits.rank(logits, i * classes, classes, data.label(i)) == 0) {
                correct++;
            }
        }
        return new Scores(lossSum / data.count(), (double) correct / data.count());
    }

    /** The logits of every image, {@code [count, classes]} row by row. */
    static float[] logits(Session session, TrainingGraph model, LabeledImages data) {
        int classes = model.network.spec.architecture().classes();
        float[] logits = new float[data.count() * classes];
        int[] all = new int[data.count()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        for (int from = 0; from < all.length; from += BATCH) {
            int size = Math.min(BATCH, all.length - from);
            try (TFloat32 images = ImageTensors.images(data, all, from, size);
                    Result result = session.runner().feed(model.image, images).fetch(model.logits).run()) {
                ((TFloat32) result.get(0)).copyTo(DataBuffers.of(logits, false, false).slice((long) from * classes,
                        (long) size * classes));
            }
        }
        return logits;
    }
}
