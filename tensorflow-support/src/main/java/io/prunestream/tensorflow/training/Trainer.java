package io.prunestream.tensorflow.training;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.tensorflow.Logits;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Trains one {@link TrainingSpec} on a dataset in TensorFlow graph mode: seeded initial weights and batch order,
 * the spec's optimizer and schedule, the prunability method, a test evaluation and a {@link ModelExport} after each
 * epoch. Uses one thread of the caller; TensorFlow itself uses the machine's cores.
 */
public final class Trainer {

    private final TrainingSpec spec;
    private final LabeledImages train;
    private final LabeledImages test;
    /** The network to train from given weights (fine-tuning), or null to build the spec's from a seed. */
    private final NetworkSpec start;
    private final Map<String, float[]> startWeights;

    public Trainer(TrainingSpec spec, LabeledImages train, LabeledImages test) {
        this(spec, null, null, train, test);
    }

    private Trainer(TrainingSpec spec, NetworkSpec start, Map<String, float[]> startWeights, LabeledImages train,
            LabeledImages test) {
        this.spec = spec;
        this.start = start;
        this.startWeights = startWeights;
        this.train = train;
        this.test = test;
        checkFits(train, "training");
        checkFits(test, "test");
    }

    /**
     * Trains {@code network} further from {@code weights} (by variable name): fine-tuning after filters were
     * removed. The spec's architecture must be the network's; its seed orders the batches.
     */
    public static Trainer fineTuning(TrainingSpec spec, NetworkSpec network, Map<String, float[]> weights,
            LabeledImages train, LabeledImages test) {
        if (!spec.architecture().equals(network.architecture())) {
            throw new IllegalArgumentException("fine-tuning spec architecture " + spec.architecture().label()
                    + " is not the network's " + network.architecture().label());
        }
        return new Trainer(spec, network, Map.copyOf(weights), train, test);
    }

    private void checkFits(LabeledImages data, String split) {
        List<Integer> in = spec.architecture().inputShape();
        int expected = in.get(0) * in.get(1) * in.get(2);
        if (data.pixelsPerImage() != expected) {
            throw new IllegalArgumentException("the " + split + " images are " + data.rows() + "x" + data.columns()
                    + " (" + data.pixelsPerImage() + " values) but architecture.inputShape " + in + " needs "
                    + expected);
        }
        for (int i = 0; i < data.count(); i++) {
            if (data.label(i) >= spec.architecture().classes()) {
                throw new IllegalArgumentException("the " + split + " split has label " + data.label(i)
                        + " at image " + i + " but architecture.classes is " + spec.architecture().classes());
            }
        }
        if (data.count() == 0) {
            throw new IllegalArgumentException("the " + split + " split is empty");
        }
    }

    /** Runs the whole training; returns the finished epochs (fewer if cancelled). */
    public List<EpochResult> run(TrainingListener listener) throws TensorFlowException {
        TensorFlowRuntime.start();
        List<EpochResult> epochs = new ArrayList<>();
        NetworkSpec network = start;
        if (network == null) {
            float[] stats = ImageTensors.pixelStatistics(train);
            network = new NetworkSpec(spec.architecture(), spec.method().unitNorm(), stats[0], stats[1], List.of());
        }
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            TrainingGraph model = new TrainingGraph(graph, spec, network, startWeights);
            initialize(session, model);
            TppSchedule tpp = new TppSchedule(spec, model);
            Random order = new Random(spec.seed() + 1);
            int[] indices = new int[train.count()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = i;
            }
            long stepsPerEpoch = (train.count() + spec.batchSize() - 1) / spec.batchSize();
            Clock clock = new Clock(stepsPerEpoch * spec.epochs());
            for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                shuffle(indices, order);
                Window whole = new Window();
                if (!epoch(session, model, tpp, indices, epoch, stepsPerEpoch, clock, whole, listener)) {
                    return epochs;
                }
                double imagesPerSecond = whole.imagesPerSecond();
                SessionInference.Scores scores = SessionInference.evaluate(session, model, test);
                EpochResult result = new EpochResult(epoch, clock.step, whole.loss(), whole.accuracy(),
                        scores.loss(), scores.accuracy(), imagesPerSecond);
                epochs.add(result);
                try {
                    listener.onEpoch(result, new SessionExport(session, model, tpp, spec.architecture()));
                } catch (TensorFlowException e) {
                    throw e;
                } catch (Exception e) {
                    throw new TensorFlowException("the epoch " + epoch + " listener failed: " + e.getMessage(), e);
                }
            }
        } catch (RuntimeException e) {
            throw new TensorFlowException("training failed: " + e.getMessage(), e);
        }
        return epochs;
    }

    /** Steps over one epoch's batches, reporting progress; false when the listener cancelled the run. */
    private boolean epoch(Session session, TrainingGraph model, TppSchedule tpp, int[] indices, int epoch,
            long stepsPerEpoch, Clock clock, Window whole, TrainingListener listener) throws TensorFlowException {
        Window window = new Window();
        for (int from = 0; from < indices.length; from += spec.batchSize()) {
            if (listener.cancelled()) {
                return false;
            }
            int size = Math.min(spec.batchSize(), indices.length - from);
            double progress = (double) clock.step / stepsPerEpoch;
            tpp.chooseIfDue(session, progress);
            StepResult result = step(session, model, tpp, indices, from, size, progress);
            clock.step++;
            if (!Float.isFinite(result.loss())) {
                throw new TensorFlowException("training diverged at epoch " + epoch + ", step " + clock.step
                        + ": the loss is " + result.loss() + "; lower optimizer.learningRate (now "
                        + spec.optimizer().learningRate() + ")");
            }
            window.add(result.loss(), result.correct(), size);
            whole.add(result.loss(), result.correct(), size);
            if (clock.step % spec.logEverySteps() == 0 || from + size >= indices.length) {
                listener.onProgress(new Progress(epoch, spec.epochs(), clock.step, clock.total, window.loss(),
                        window.accuracy(), window.imagesPerSecond(), clock.eta()));
                window = new Window();
            }
        }
        return true;
    }

    private static void initialize(Session session, TrainingGraph model) {
        model.builder.initialize(session);
        if (!model.projection.isEmpty()) {
            Session.Runner project = session.runner();
            model.projection.forEach(project::addTarget);
            try (Result ignored = project.run()) {
                // Assignments only.
            }
        }
    }

    /** What one optimizer step did: the batch's loss and how many of it were classified right. */
    private record StepResult(float loss, int correct) {
    }

    private StepResult step(Session session, TrainingGraph model, TppSchedule tpp, int[] indices, int from, int size,
            double progress) {
        int classes = spec.architecture().classes();
        List<TFloat32> tppFeeds = List.of();
        try (TFloat32 images = ImageTensors.images(train, indices, from, size);
                TFloat32 labels = ImageTensors.oneHot(train, indices, from, size, classes);
                TFloat32 rate = TFloat32.scalarOf((float) spec.optimizer().learningRateAt(progress, spec.epochs()));
                TFloat32 lambda = TFloat32.scalarOf((float) spec.method().lambdaAt(progress));
                TFloat32 training = TFloat32.scalarOf(1f)) {
            Session.Runner runner = session.runner()
                    .feed(model.image, images).feed(model.labels, labels).feed(model.learningRate, rate)
                    .feed(model.lambda, lambda).feed(model.builder.training(), training)
                    .fetch(model.crossEntropy).fetch(model.logits);
            model.stepTargets.forEach(runner::addTarget);
            tppFeeds = tpp.feed(runner, progress);
            try (Result result = runner.run()) {
                float loss = ((TFloat32) result.get(0)).getFloat();
                float[] logits = new float[size * classes];
                ((TFloat32) result.get(1)).copyTo(DataBuffers.of(logits, false, false));
                int correct = 0;
                for (int i = 0; i < size; i++) {
                    if (Logits.rank(logits, i * classes, classes, train.label(indices[from + i])) == 0) {
                        correct++;
                    }
                }
                return new StepResult(loss, correct);
            }
        } finally {
            tppFeeds.forEach(TFloat32::close);
        }
    }

    /** The run's steps so far, of how many, and the time left at the pace so far. */
    private static final class Clock {
        private final long started = System.nanoTime();
        private final long total;
        private long step;

        Clock(long total) {
            this.total = total;
        }

        Duration eta() {
            double elapsed = (System.nanoTime() - started) / 1e9;
            return Duration.ofMillis((long) (elapsed / step * (total - step) * 1000));
        }
    }

    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /** Running sums over some steps. */
    private static final class Window {
        private final long started = System.nanoTime();
        private double lossSum;
        private long correct;
        private long images;
        private int steps;

        void add(float loss, int right, int size) {
            lossSum += loss;
            correct += right;
            images += size;
            steps++;
        }

        double loss() {
            return steps == 0 ? 0 : lossSum / steps;
        }

        double accuracy() {
            return images == 0 ? 0 : (double) correct / images;
        }

        double imagesPerSecond() {
            double seconds = (System.nanoTime() - started) / 1e9;
            return seconds <= 0 ? 0 : images / seconds;
        }
    }
}
