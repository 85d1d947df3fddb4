package io.prunestream.tensorflow.calibration;

import io.prunestream.tensorflow.InlinedModel;
import io.prunestream.tensorflow.TensorFlowException;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The calibration images run through a model in batches, with the dense network's input of every planned kernel kept
 * ({@link DenseInputs}), and each kernel's Hessian and cross product ({@link HessianOps}) summed over the batches on
 * request: with the kernels given fed in place of the stored ones, or none.
 */
final class ProductPass implements AutoCloseable {

    private final Session session;
    private final String input;
    private final DenseInputs.Batches maker;
    private final int batches;
    private final DenseInputs dense;

    private ProductPass(Session session, String input, DenseInputs.Batches maker, int batches, DenseInputs dense) {
        this.session = session;
        this.input = input;
        this.maker = maker;
        this.batches = batches;
        this.dense = dense;
    }

    /** The dense inputs of {@code plan}'s reconstructed kernels, collected on {@code data}. */
    static ProductPass open(InlinedModel running, CalibrationData data, List<ReconstructionPlan.Planned> plan)
            throws TensorFlowException {
        String input = running.tensor(data.signatureKey(), data.inputName());
        List<String> tensors = plan.stream().filter(p -> p.products() != null).map(p -> p.op().data()).toList();
        Map<String, Long> perImage;
        try (TFloat32 one = ReconstructionPlan.images(data, 0, 1)) {
            perImage = DenseInputs.perImage(running.session(), input, one, tensors);
        }
        int batch = batchSize(plan, perImage, data);
        int batches = (data.count() + batch - 1) / batch;
        DenseInputs.Batches maker = b -> ReconstructionPlan.images(data, b * batch,
                Math.min(batch, data.count() - b * batch));
        long denseBytes = perImage.values().stream().mapToLong(Long::longValue).sum();
        return new ProductPass(running.session(), input, maker, batches, DenseInputs.open(running.session(), input,
                maker, batches, denseBytes, data.count(), tensors));
    }

    /**
     * Images per batch, so that the largest layer's input patches ({@link HessianOps}: a Conv2D's input repeated for
     * each of its window's positions, at most) take no more than {@link LayerReconstruction#PATCH_BYTES} for one
     * batch, nor the images more than the calibration data's batch.
     */
    private static int batchSize(List<ReconstructionPlan.Planned> plan, Map<String, Long> perImage,
            CalibrationData data) {
        long widest = 4L * data.feed().valuesPerImage();
        for (ReconstructionPlan.Planned planned : plan) {
            if (planned.products() == null) {
                continue;
            }
            long bytes = perImage.getOrDefault(planned.op().data(), 4L * data.feed().valuesPerImage());
            if (planned.op().op().equals("Conv2D")) {
                bytes *= planned.shape()[0] * planned.shape()[1];
            }
            widest = Math.max(widest, bytes);
        }
        return (int) Math.max(1, Math.min(data.batchSize(), LayerReconstruction.PATCH_BYTES / widest));
    }

    /**
     * {@code planned}'s Hessian and cross product, summed over the batches in double precision, the kernels of
     * {@code fed} (by the op that reads them) fed with their values and the kernel's dense input with the dense
     * network's.
     */
    double[][] sums(ReconstructionPlan.Planned planned, Map<String, TFloat32> fed) {
        double[][] sums = null;
        for (int b = 0; b < batches; b++) {
            try (TFloat32 images = maker.batch(b)) {
                Session.Runner runner = session.runner().feed(input, images).feed(planned.products().dense(),
                        dense.of(planned.op().data(), b, images));
                fed.forEach(runner::feed);
                try (org.tensorflow.Result result = runner.fetch(planned.products().hessian())
                        .fetch(planned.products().cross()).run()) {
                    if (sums == null) {
                        sums = new double[][] {new double[(int) result.get(0).size()],
                            new double[(int) result.get(1).size()]};
                    }
                    add(sums[0], (TFloat64) result.get(0));
                    add(sums[1], (TFloat64) result.get(1));
                }
            }
        }
        return sums;
    }

    private static void add(double[] sums, TFloat64 tensor) {
        double[] values = new double[Math.toIntExact(tensor.size())];
        tensor.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(values, false, false));
        for (int i = 0; i < values.length; i++) {
            sums[i] += values[i];
        }
    }

    @Override
    public void close() {
        dense.close();
    }
}
