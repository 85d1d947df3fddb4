package io.prunestream.tensorflow.calibration;

/**
 * A kernel as OBS sees it: one row per output channel, one column per input the channel sums over. A kernel whose
 * last axis is the output (Conv2D's HWIO, MatMul's {@code [in, out]}) is transposed into it; one read with
 * {@code transpose_b} ({@code [out, in]}) already is it.
 */
record WeightMatrix(double[] values, int rows, int cols, boolean outputsFirst) {

    static WeightMatrix of(float[] stored, long[] shape, boolean outputsFirst) {
        int rows = (int) (outputsFirst ? shape[0] : shape[shape.length - 1]);
        int cols = stored.length / rows;
        double[] values = new double[stored.length];
        for (int o = 0; o < rows; o++) {
            for (int p = 0; p < cols; p++) {
                values[o * cols + p] = stored[outputsFirst ? o * cols + p : p * rows + o];
            }
        }
        return new WeightMatrix(values, rows, cols, outputsFirst);
    }

    /** {@code w} (rows x cols) back in the kernel's stored order. */
    float[] stored(double[] w) {
        float[] out = new float[w.length];
        for (int o = 0; o < rows; o++) {
            for (int p = 0; p < cols; p++) {
                out[outputsFirst ? o * cols + p : p * rows + o] = (float) w[o * cols + p];
            }
        }
        return out;
    }
}
