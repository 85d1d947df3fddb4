package io.prunestream.tensorflow.calibration;

import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.graph.BatchNormFinder;
import io.prunestream.tensorflow.graph.FunctionInliner;
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
 * as one batch with every batch norm using that batch's statistics, and each batch norm's per-channel mean and
 * variance (the exact ones of its input, not a momentum average) become its moving statistics. One batch makes the
 * statistics exact: each batch norm sees what the earlier ones, already re-estimated, pass on. No gradient step; the
 * weights stay as pruned.
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

    /** How many batch norms of the SavedModel at {@code model} could be re-estimated. */
    public static int batchNorms(Path model, Map<String, String> checkpointDtypes) throws TensorFlowException {
        try {
            return BatchNormFinder.find(FunctionInliner.inline(SavedModelInspector.serveMetaGraph(model)
                    .getGraphDef()), checkpointDtypes).size();
        } catch (IllegalArgumentException e) {
            throw new TensorFlowException("cannot read the graph of " + model + ": " + e.getMessage(), e);
        }
    }

    /** Re-estimates the batch norms of the SavedModel at {@code model} on {@code data}. */
    public static Outcome calibrate(Path model, CalibrationData data) throws TensorFlowException {
        long started = System.nanoTime();
        Map<String, String> dtypes = SavedModelInspector.inspect(model).checkpointDtypes();
        GraphDef inlined;
        try {
            inlined = FunctionInliner.inline(SavedModelInspector.serveMetaGraph(model).getGraphDef());
        } catch (IllegalArgumentException e) {
            throw new TensorFlowException("cannot inline the functions of SavedModel " + model + ": "
                    + e.getMessage(), e);
        }
        List<BatchNormFinder.Site> sites = BatchNormFinder.find(inlined, dtypes);
        if (sites.isEmpty()) {
            return new Outcome(Map.of(), 0, millis(started), "no batch norm whose statistics are variables"
                    + " (FusedBatchNorm in inference mode, or a training-switched one as this project's trainer"
                    + " builds)");
        }
        try (InlinedModel running = InlinedModel.open(model, graph -> inTrainingMode(graph, sites))) {
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
        float[] values = data.feed().values(data.images(), 0, data.count());
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(data.feed().batchShape(data.count())),
                DataBuffers.of(values, true, false));
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
            Map<String, float[]> statistics = new LinkedHashMap<>();
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
                    statistics.put(site.meanKey(), mean);
                    statistics.put(site.varianceKey(), variance);
                }
            }
            return statistics;
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
