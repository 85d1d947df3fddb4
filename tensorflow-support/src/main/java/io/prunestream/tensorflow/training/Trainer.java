package io.prunestream.tensorflow.training;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.Logits;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.model.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Trains one {@link TrainingSpec} on a dataset in TensorFlow graph mode: seeded initial weights and batch order,
 * the spec's optimizer and schedule, the prunability method, a test evaluation and a {@link ModelExport} after each
 * epoch. Uses one thread of the caller; TensorFlow itself uses the machine's cores.
 */
public final class Trainer {

    private static final int EVAL_BATCH = 1000;

    private final TrainingSpec spec;
    private final LabeledImages train;
    private final LabeledImages test;
    /** The network to train from given weights (fine-tuning), or null to build the spec's from a seed. */
    private final NetworkSpec start;
    private final Map<String, float[]> startWeights;
    /** TPP: per group, the filters kept, from the split on; null before it. */
    private List<int[]> kept;

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
        kept = null;
        NetworkSpec network = start;
        if (network == null) {
            float[] stats = pixelStatistics(train);
            network = new NetworkSpec(spec.architecture(), spec.method().unitNorm(), stats[0], stats[1], List.of());
        }
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            TrainingGraph model = new TrainingGraph(graph, spec, network, startWeights);
            initialize(session, model);
            Random order = new Random(spec.seed() + 1);
            int[] indices = new int[train.count()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = i;
            }
            long stepsPerEpoch = (train.count() + spec.batchSize() - 1) / spec.batchSize();
            long totalSteps = stepsPerEpoch * spec.epochs();
            long step = 0;
            long started = System.nanoTime();
            for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                shuffle(indices, order);
                Window window = new Window();
                Window whole = new Window();
                long epochStarted = System.nanoTime();
                for (int from = 0; from < indices.length; from += spec.batchSize()) {
                    if (listener.cancelled()) {
                        return epochs;
                    }
                    int size = Math.min(spec.batchSize(), indices.length - from);
                    double progress = (double) step / stepsPerEpoch;
                    float[] batchLoss = new float[1];
                    int correct = step(session, model, indices, from, size, progress, batchLoss);
                    step++;
                    if (!Float.isFinite(batchLoss[0])) {
                        throw new TensorFlowException("training diverged at epoch " + epoch + ", step " + step
                                + ": the loss is " + batchLoss[0] + "; lower optimizer.learningRate (now "
                                + spec.optimizer().learningRate() + ")");
                    }
                    window.add(batchLoss[0], correct, size);
                    whole.add(batchLoss[0], correct, size);
                    if (step % spec.logEverySteps() == 0 || from + size >= indices.length) {
                        double elapsed = (System.nanoTime() - started) / 1e9;
                        Duration eta = Duration.ofMillis((long) (elapsed / step * (totalSteps - step) * 1000));
                        listener.onProgress(new Progress(epoch, spec.epochs(), step, totalSteps, window.loss(),
                                window.accuracy(), window.imagesPerSecond(), eta));
                        window = new Window();
                    }
                }
                double seconds = (System.nanoTime() - epochStarted) / 1e9;
                double[] scores = evaluate(session, model, test);
                EpochResult result = new EpochResult(epoch, step, whole.loss(), whole.accuracy(), scores[0],
                        scores[1], whole.images / seconds);
                epochs.add(result);
                try {
                    listener.onEpoch(result, exporter(session, model));
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

    /**
     * TPP: once the split point is reached, chooses per group the filters to keep (largest L1 norm, the ratio's
     * share removed), as filter-l1 would on the model as it is now; the choice never changes afterwards.
     */
    private void chooseFilters(Session session, TrainingGraph model, double progress) {
        TppSpec tpp = spec.method().tpp();
        if (tpp == null || kept != null || progress < tpp.splitAt(spec.epochs())) {
            return;
        }
        Session.Runner runner = session.runner();
        model.tpp.kernels.forEach(k -> runner.fetch(k.variable()));
        List<int[]> chosen = new ArrayList<>();
        try (Result result = runner.run()) {
            for (int g = 0; g < model.tpp.kernels.size(); g++) {
                Kernel kernel = model.tpp.kernels.get(g);
                float[] values = new float[Math.toIntExact(kernel.size())];
                ((TFloat32) result.get(g)).copyTo(DataBuffers.of(values, false, false));
                chosen.add(FilterRanking.keep(FilterRanking.l1Norms(new LayerWeights(kernel.name(), values,
                        kernel.shape())), tpp.ratio()));
            }
        }
        kept = chosen;
    }

    /** TPP: the decay coefficient, the masks of kept filters, and the zeroing due after this step. */
    private List<TFloat32> feedTpp(Session.Runner runner, TrainingGraph model, double progress) {
        List<TFloat32> feeds = new ArrayList<>();
        if (model.tpp == null || kept == null) {
            return feeds;
        }
        TppSpec tpp = spec.method().tpp();
        TFloat32 reg = TFloat32.scalarOf((float) tpp.regAt(progress, spec.epochs()));
        feeds.add(reg);
        runner.feed(model.tpp.reg, reg);
        int groups = kept.size();
        for (int g = 0; g < groups; g++) {
            float[] mask = new float[model.tpp.groups.get(g).filters()];
            for (int index : kept.get(g)) {
                mask[index] = 1f;
            }
            TFloat32 tensor = TFloat32.vectorOf(mask);
            feeds.add(tensor);
            runner.feed(model.tpp.keep.get(g), tensor);
            if (tpp.zeroes(g, groups, progress, spec.epochs())) {
                runner.addTarget(model.zeroOps.get(g));
            }
        }
        return feeds;
    }

    /** One optimizer step; returns how many of the batch were classified right, and the loss in {@code loss[0]}. */
    private int step(Session session, TrainingGraph model, int[] indices, int from, int size, double progress,
            float[] loss) {
        int classes = spec.architecture().classes();
        chooseFilters(session, model, progress);
        List<TFloat32> tppFeeds = List.of();
        try (TFloat32 images = batchImages(train, indices, from, size);
                TFloat32 labels = oneHot(train, indices, from, size, classes);
                TFloat32 rate = TFloat32.scalarOf((float) spec.optimizer().learningRateAt(progress, spec.epochs()));
                TFloat32 lambda = TFloat32.scalarOf((float) spec.method().lambdaAt(progress));
                TFloat32 training = TFloat32.scalarOf(1f)) {
            Session.Runner runner = session.runner()
                    .feed(model.image, images).feed(model.labels, labels).feed(model.learningRate, rate)
                    .feed(model.lambda, lambda).feed(model.builder.training(), training)
                    .fetch(model.crossEntropy).fetch(model.logits);
            model.stepTargets.forEach(runner::addTarget);
            tppFeeds = feedTpp(runner, model, progress);
            try (Result result = runner.run()) {
                loss[0] = ((TFloat32) result.get(0)).getFloat();
                float[] logits = new float[size * classes];
                ((TFloat32) result.get(1)).copyTo(DataBuffers.of(logits, false, false));
                int correct = 0;
                for (int i = 0; i < size; i++) {
                    if (Logits.rank(logits, i * classes, classes, train.label(indices[from + i])) == 0) {
                        correct++;
                    }
                }
                return correct;
            }
        } finally {
            tppFeeds.forEach(TFloat32::close);
        }
    }

    /** Mean cross-entropy and top-1 accuracy of the model, in inference mode, on {@code data}. */
    private double[] evaluate(Session session, TrainingGraph model, LabeledImages data) {
        int classes = spec.architecture().classes();
        float[] logits = inferLogits(session, model, data);
        double lossSum = 0;
        long correct = 0;
        for (int i = 0; i < data.count(); i++) {
            lossSum += Logits.crossEntropy(logits, i * classes, classes, data.label(i));
            if (Logits.rank(logits, i * classes, classes, data.label(i)) == 0) {
                correct++;
            }
        }
        return new double[] {lossSum / data.count(), (double) correct / data.count()};
    }

    private float[] inferLogits(Session session, TrainingGraph model, LabeledImages data) {
        int classes = spec.architecture().classes();
        float[] logits = new float[data.count() * classes];
        int[] all = new int[data.count()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        for (int from = 0; from < all.length; from += EVAL_BATCH) {
            int size = Math.min(EVAL_BATCH, all.length - from);
            try (TFloat32 images = batchImages(data, all, from, size);
                    Result result = session.runner().feed(model.image, images).fetch(model.logits).run()) {
                ((TFloat32) result.get(0)).copyTo(DataBuffers.of(logits, false, false).slice((long) from * classes,
                        (long) size * classes));
            }
        }
        return logits;
    }

    private ModelExport exporter(Session session, TrainingGraph model) {
        List<Integer> in = spec.architecture().inputShape();
        List<Long> inputShape = List.of(-1L, (long) in.get(0), (long) in.get(1), (long) in.get(2));
        return new ModelExport() {
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
                if (kept == null) {
                    return null;
                }
                List<int[]> removed = new ArrayList<>();
                for (int g = 0; g < kept.size(); g++) {
                    removed.add(FilterRanking.removed(kept.get(g), model.tpp.groups.get(g).filters()));
                }
                return removed;
            }

            @Override
            public Map<String, float[]> weights() {
                return model.network.weights(session);
            }

            @Override
            public float[] logits(LabeledImages data) {
                return inferLogits(session, model, data);
            }
        };
    }

    private static boolean holdsFiles(Path directory) throws TensorFlowException {
        if (!Files.exists(directory)) {
            return false;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isPresent();
        } catch (java.io.IOException e) {
            throw new TensorFlowException("cannot read " + directory + ": " + e, e);
        }
    }

    /** Pixels of the chosen images, scaled to [0, 1], as {@code [n, h, w, c]} ({@link ModelInput#nhwc}). */
    public static TFloat32 batchImages(LabeledImages data, int[] indices, int from, int size) {
        ModelInput input = ModelInput.nhwc(data.rows(), data.columns(), data.channels());
        return TFloat32.tensorOf(Shape.of(input.batchShape(size)), DataBuffers.of(input.values(data, indices, from,
                size), true, false));
    }

    /** One-hot rows {@code [size, classes]} of the chosen images' labels. */
    public static TFloat32 oneHot(LabeledImages data, int[] indices, int from, int size, int classes) {
        float[] values = new float[size * classes];
        for (int i = 0; i < size; i++) {
            values[i * classes + data.label(indices[from + i])] = 1f;
        }
        return TFloat32.tensorOf(Shape.of(size, classes), DataBuffers.of(values, true, false));
    }

    /** Mean and standard deviation of the training pixels (scaled to [0, 1]); the model standardises with them. */
    public static float[] pixelStatistics(LabeledImages data) {
        double sum = 0;
        double squares = 0;
        for (byte b : data.pixels()) {
            double v = (b & 0xFF) / 255.0;
            sum += v;
            squares += v * v;
        }
        double n = data.pixels().length;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(squares / n - mean * mean, 1e-12));
        return new float[] {(float) mean, (float) std};
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
