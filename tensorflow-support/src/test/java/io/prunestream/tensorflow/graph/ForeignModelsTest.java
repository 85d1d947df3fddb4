package io.prunestream.tensorflow.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.ImageLayout;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.PixelScaling;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.pruning.LayerResult;
import io.prunestream.pruning.LayerThreshold;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.MeanRecovery;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.PruningResult;
import io.prunestream.tensorflow.FilterLayout;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.SavedModelInfo;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelRunner;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.IndependentPruning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SavedModels laid out as Keras and other exporters write them (functions, captured variables, object-based keys,
 * optimizer slots, transposed reads): their kernels are found with the right output filters, every tensor is read
 * and written back, and a pruned copy answers exactly what an independent computation says it should.
 */
class ForeignModelsTest {

    private static final LabeledImages TRAIN = SyntheticImages.generate(320, 28, 1);
    private static final LabeledImages TEST = SyntheticImages.generate(200, 28, 2);

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = ForeignModel.Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "KERAS_MLP_WIDE")
    void kernelsInsideFunctionsAreFoundWithTheirOutputFilters(ForeignModel.Kind kind) throws Exception {
        ForeignModel model = ForeignModels.write(kind, temp.resolve("dense"), TRAIN, 150, 7);
        ModelWeights weights = SavedModelReader.read(model.directory());
        SavedModelInfo info = weights.model();

        assertThat(info.prunableKernels()).extracting(PrunableKernel::key).containsExactlyElementsOf(model.kernels());
        List<long[]> expected = IndependentPruning.filters(kind);
        for (int k = 0; k < expected.size(); k++) {
            PrunableKernel kernel = info.prunableKernels().get(k);
            long[] shape = shape(weights.get(kernel.key()));
            assertThat(kernel.filterLayout(shape)).as(kernel.key())
                    .isEqualTo(new FilterLayout((int) expected.get(k)[0], expected.get(k)[1]));
            assertThat(kernel.op()).as("found inside the model function").startsWith("__inference__wrapped_model_");
        }
        assertThat(info.opsSeen()).contains("StatefulPartitionedCall", "VarHandleOp", "ReadVariableOp",
                "DisableCopyOnRead", "RestoreV2");
        assertThat(info.checkpointDtypes()).as("optimizer slots and the object graph are read like any tensor")
                .containsKey("_CHECKPOINTABLE_OBJECT_GRAPH").hasSizeGreaterThan(model.weights().size());
    }

    @ParameterizedTest
    @EnumSource(value = ForeignModel.Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "KERAS_MLP_WIDE")
    void aPrunedCopyLoadsAndAnswersAsTheIndependentComputationSays(ForeignModel.Kind kind) throws Exception {
        ForeignModel model = ForeignModels.write(kind, temp.resolve("dense"), TRAIN, 150, 7);
        ModelWeights weights = SavedModelReader.read(model.directory());

        float[] dense = run(model.directory(), kind);
        float[] reference = ForeignModels.referenceLogits(kind, model.weights(), TEST);
        assertOutputs(kind, dense, reference);
        assertThat(ForeignModels.top1(reference, TEST)).as("trained").isGreaterThan(0.9);

        // 50% of each kernel to the per-filter mean of its pruned values, as the pruner does.
        List<LayerWeights> layers = new ArrayList<>();
        for (PrunableKernel kernel : weights.model().prunableKernels()) {
            WeightTensor tensor = weights.get(kernel.key());
            FilterLayout layout = kernel.filterLayout(shape(tensor));
            layers.add(new LayerWeights(kernel.key(), tensor.values(), shape(tensor), layout.filters(),
                    layout.stride()));
        }
        PruningResult result = new Pruner(new LayerThreshold(), MeanRecovery.perFilter()).prune(layers, 0.5);
        Map<String, float[]> replacements = new LinkedHashMap<>();
        for (LayerResult layer : result.layers()) {
            replacements.put(layer.name(), layer.values());
        }
        Path pruned = temp.resolve("pruned");
        SavedModelWriter.write(weights, pruned, replacements);

        Map<String, float[]> expected = new HashMap<>(model.weights());
        List<long[]> filters = IndependentPruning.filters(kind);
        for (int k = 0; k < model.kernels().size(); k++) {
            String key = model.kernels().get(k);
            float[] independent = IndependentPruning.prune(model.weights().get(key), 0.5, true, filters.get(k));
            assertThat(IndependentPruning.firstDifference(replacements.get(key), independent)).as(key).isEqualTo(-1);
            expected.put(key, independent);
        }
        float[] variant = run(pruned, kind);
        assertOutputs(kind, variant, ForeignModels.referenceLogits(kind, expected, TEST));

        ModelWeights reread = SavedModelReader.read(pruned);
        for (WeightTensor tensor : weights.tensors()) {
            if (!replacements.containsKey(tensor.key()) && tensor.isFloat()) {
                assertThat(IndependentPruning.firstDifference(reread.get(tensor.key()).values(), tensor.values()))
                        .as("carried over: " + tensor.key()).isEqualTo(-1);
            }
        }
        assertThat(reread.model().checkpointDtypes()).isEqualTo(weights.model().checkpointDtypes());
    }

    private static float[] run(Path model, ForeignModel.Kind kind) throws Exception {
        try (SavedModelRunner runner = SavedModelRunner.open(model, "serving_default", kind.inputName(),
                kind.outputName(), kind.preprocessing())) {
            return runner.run(TEST, 0, TEST.count());
        }
    }

    /** The model's output against reference logits: the same probabilities (Keras' softmax) or logits. */
    private static void assertOutputs(ForeignModel.Kind kind, float[] output, float[] logits) {
        assertThat(output).hasSameSizeAs(logits);
        for (int row = 0; row < output.length / 10; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                max = Math.max(max, logits[row * 10 + c]);
            }
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += Math.exp(logits[row * 10 + c] - max);
            }
            for (int c = 0; c < 10; c++) {
                double expected = kind.softmax() ? Math.exp(logits[row * 10 + c] - max) / sum : logits[row * 10 + c];
                assertThat((double) output[row * 10 + c]).as("row %d class %d", row, c)
                        .isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    private static long[] shape(WeightTensor tensor) {
        return tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
    }
}
