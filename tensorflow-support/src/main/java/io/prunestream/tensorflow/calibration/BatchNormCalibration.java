package io.prunestream.tensorflow.calibration;

import io.prunestream.datasets.DatasetException;
import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.graph.BatchNormFinder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Batch-norm re-estimation (adaptive BN; EagleEye, ECCV 2020): the calibration images go through the pruned network
 * with every batch norm using the batch's statistics, and each batch norm's per-channel mean and variance of its
 * input (not a momentum average) become its moving statistics. Where the images fit one batch
 * ({@link CalibrationData#batchSize}: small images) the statistics are exact, each batch norm seeing what the earlier
 * ones, already re-estimated, pass on; larger images go in several batches, whose means and second moments are
 * combined exactly, each batch normalised by its own statistics on the way (as {@code torch.optim.swa_utils.update_bn}
 * does). No gradient step; the weights stay as pruned.
 */
public final class BatchNormCalibration {

    /**
     * What came of it: the new moving statistics by checkpoint key, how many batch norms, and how long it took; or,
     * when there is nothing to re-estimate, why ({@code skipped}).
     */
    public record Outcome(Map<String, float[]> statistics, int batchNorms, long millis, String skipped) {

        public boolean calibrated() {
            return skipped == null;
        }
    }

    private BatchNormCalibration() {
    }

    /**
     * How many batch norms of the SavedModel at {@code model}, on the path of signature {@code signatureKey}, could be
     * re-estimated.
     */
    public static int batchNorms(Path model, String signatureKey, Map<String, String> checkpointDtypes)
            throws TensorFlowException {
        try {
            return BatchNormFinder.find(InlinedModel.inlined(model, signatureKey), checkpointDtypes).size();
        } catch (IllegalArgumentException e) {
            throw new TensorFlowException("cannot read the graph of " + model + ": " + e.getMessage(), e);
        }
    }

    /** Re-estimates the batch norms of the SavedModel at {@code model} on {@code data}. */
    public static Outcome calibrate(Path model, CalibrationData data) throws TensorFlowException {
        long started = System.nanoTime();
        Map<String, String> dtypes = SavedModelInspector.inspect(model).checkpointDtypes();
        GraphDef inlined = InlinedModel.inlined(model, data.signatureKey());
        List<BatchNormFinder.Site> sites = BatchNormFinder.find(inlined, dtypes);
        if (sites.isEmpty()) {
            return new Outcome(Map.of(), 0, millis(started), "no batch norm whose statistics are variables"
                    + " (FusedBatchNorm in inference mode, or a training-switched one as this project's trainer"
                    + " builds)");
        }
        try (InlinedModel running = InlinedModel.open(model, data.signatureKey(), graph -> inTrainingMode(graph,
                sites))) {
            Map<String, float[]> statistics = run(running, data, sites);
            return new Outcome(statistics, sites.size(), millis(started), null);
        }
    }

    /** Fused batch norms switched to training mode, and a {@code Shape} of each one's input, to count its values. */
    private static GraphDef inTrainingMode(GraphDef graph, List<BatchNormFinder.Site> sites) {
        List<String> fused = sites.stream().filter(s -> s.form() == BatchNormFinder.Form.FUSED)
                .map(BatchNormFinder.Site::node).toList();
        GraphDef.Builder builder = graph.toBuilder();
        for (int i = 0; i < builder.getNodeCount(); i++) {
            NodeDef node = builder.getNode(i);
            if (fused.contains(node.getName())) {
                builder.setNode(i, node.toBuilder().putAttr("is_training", AttrValue.newBuilder().setB(true).build())
                        .putAttr("exponential_avg_factor", AttrValue.newBuilder().setF(1f).build()).build());
                builder.addNode(NodeDef.newBuilder().setName(shapeOf(node.getName())).setOp("Shape")
                        .addInput(node.getInput(0)).putAttr("T", node.getAttrOrThrow("T"))
                        .putAttr("out_type", AttrValue.newBuilder().setType(DataType.DT_INT32).build()));
            }
        }
        return builder.build();
    }

    private static String shapeOf(String node) {
        return "calibration/shape_of/" + node;
    }

    private static Map<String, float[]> run(InlinedModel model, CalibrationData data,
            List<BatchNormFinder.Site> sites) throws TensorFlowException {
        String input = model.tensor(data.signatureKey(), data.inputName());
        // Per site: images seen, and the sums of each channel's batch mean and second moment, weighted by images.
        double[][] means = new double[sites.size()][];
        double[][] squares = new double[sites.size()][];
        long images = 0;
        for (int b = 0; b < data.batches(); b++) {
            int n = data.size(b);
            float[] values;
            try {
                values = data.batch(b);
            } catch (DatasetException e) {
                throw new TensorFlowException("cannot read the calibration images: " + e.detail(), e);
            }
            List<float[][]> moments = batchMoments(model, input, values, data.feed().batchShape(n), sites);
            for (int s = 0; s < sites.size(); s++) {
                float[] mean = moments.get(s)[0];
                float[] variance = moments.get(s)[1];
                if (means[s] == null) {
                    means[s] = new double[mean.length];
                    squares[s] = new double[mean.length];
                }
                for (int c = 0; c < mean.length; c++) {
                    means[s][c] += (double) n * mean[c];
                    squares[s][c] += (double) n * ((double) variance[c] + (double) mean[c] * mean[c]);
                }
            }
            images += n;
        }
        Map<String, float[]> statistics = new LinkedHashMap<>();
        for (int s = 0; s < sites.size(); s++) {
            float[] mean = new float[means[s].length];
            float[] variance = new float[means[s].length];
            for (int c = 0; c < mean.length; c++) {
                double m = means[s][c] / images;
                mean[c] = (float) m;
                variance[c] = (float) Math.max(0, squares[s][c] / images - m * m);
            }
            statistics.put(sites.get(s).meanKey(), mean);
            statistics.put(sites.get(s).varianceKey(), variance);
        }
        return statistics;
    }

    /**
     * Each site's per-channel mean and (biased) variance of its input over one batch, every batch norm using that
     * batch's statistics.
     */
    private static List<float[][]> batchMoments(InlinedModel model, String input, float[] values, long[] shape,
            List<BatchNormFinder.Site> sites) throws TensorFlowException {
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
                TFloat32 training = TFloat32.scalarOf(1f)) {
            Session.Runner runner = model.session().runner().feed(input, images);
            if (sites.stream().anyMatch(s -> s.form() == BatchNormFinder.Form.PRIMITIVE)) {
                runner.feed(BatchNormFinder.TRAINING_SWITCH, training);
            }
            for (BatchNormFinder.Site site : sites) {
                runner.fetch(site.batchMean()).fetch(site.batchVariance());
                if (site.form() == BatchNormFinder.Form.FUSED) {
                    runner.fetch(shapeOf(site.node()));
                }
            }
            List<float[][]> moments = new java.util.ArrayList<>();
            try (Result result = runner.run()) {
                int next = 0;
                for (BatchNormFinder.Site site : sites) {
                    float[] mean = floats((TFloat32) result.get(next++));
                    float[] variance = floats((TFloat32) result.get(next++));
                    if (site.form() == BatchNormFinder.Form.FUSED) {
                        // The fused op returns the Bessel-corrected variance; the input's own is (m - 1) / m of it.
                        long count = count((TInt32) result.get(next++)) / mean.length;
                        double biased = count > 1 ? (count - 1) / (double) count : 1;
                        for (int c = 0; c < variance.length; c++) {
                            variance[c] = (float) (variance[c] * biased);
                        }
                    }
                    moments.add(new float[][] {mean, variance});
                }
            }
            return moments;
        } catch (RuntimeException e) {
            throw new TensorFlowException("cannot re-estimate the batch norms of " + model.directory() + ": "
                    + e.getMessage(), e);
        }
    }

    private static long count(TInt32 shape) {
        long count = 1;
        for (int i = 0; i < shape.size(); i++) {
            count *= shape.getInt(i);
        }
        return count;
    }

    private static float[] floats(TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
