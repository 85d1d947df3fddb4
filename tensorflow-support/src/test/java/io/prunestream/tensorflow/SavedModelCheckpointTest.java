package io.prunestream.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelCheckpointTest {

    @TempDir
    Path temp;

    private LinearModel linear;
    private Path model;

    @BeforeEach
    void export() throws Exception {
        linear = LinearModel.random(7);
        model = linear.export(temp.resolve("model"));
    }

    @Test
    void inspectionFindsTheSignatureAndEveryCheckpointTensor() throws Exception {
        SavedModelInfo info = SavedModelInspector.inspect(model);

        SignatureInfo signature = info.signature("serving_default");
        assertThat(signature.inputs()).containsOnlyKeys("image");
        assertThat(signature.inputs().get("image")).isEqualTo(new TensorSpec("DT_FLOAT", List.of(-1L, 4L)));
        assertThat(signature.outputs()).containsOnlyKeys("logits", "probabilities");
        assertThat(info.checkpointDtypes()).containsEntry(LinearModel.KERNEL, "DT_FLOAT")
                .containsEntry(LinearModel.BIAS, "DT_FLOAT")
                .containsEntry(LinearModel.STEP, "DT_INT64");
        assertThatThrownBy(() -> info.signature("predict")).hasMessageContaining("no signature 'predict'");
        // The kernel feeds a MatMul; the bias and the counter feed none.
        assertThat(info.prunableKernels()).containsExactly(new PrunableKernel(LinearModel.KERNEL, "dense",
                info.prunableKernels().get(0).op()));
    }

    @Test
    void readsEveryVariableWithItsShape() throws Exception {
        ModelWeights weights = SavedModelReader.read(model);

        assertThat(weights.get(LinearModel.KERNEL).spec().shape()).containsExactly(4L, 3L);
        assertThat(weights.get(LinearModel.BIAS).spec().shape()).containsExactly(3L);
        assertThat(weights.get(LinearModel.STEP).spec()).isEqualTo(new TensorSpec("DT_INT64", List.of()));
        assertThat(weights.get(LinearModel.STEP).values()).isNull();
        assertThat(rawBits(weights.get(LinearModel.KERNEL).values())).isEqualTo(rawBits(linear.kernel()));
        assertThat(weights.get(LinearModel.BIAS).values()).containsExactly(linear.bias());
    }

    @Test
    void aModelOverTheHeapBudgetLeavesItsWeightsOnDiskAndReadsEachWhenAsked() throws Exception {
        ModelWeights held = SavedModelReader.read(model);
        ModelWeights onDisk = SavedModelReader.open(SavedModelInspector.inspect(model), held.floatBytes() - 1);

        assertThat(held.inMemory()).isTrue();
        assertThat(onDisk.inMemory()).isFalse();
        assertThat(onDisk.floatBytes()).isEqualTo(4L * (4 * 3 + 3));
        assertThat(onDisk.get(LinearModel.KERNEL).spec()).isEqualTo(held.get(LinearModel.KERNEL).spec());
        assertThat(rawBits(onDisk.get(LinearModel.KERNEL).values())).isEqualTo(rawBits(linear.kernel()));
        assertThat(onDisk.get(LinearModel.KERNEL).values()).as("read again, not kept")
                .isNotSameAs(onDisk.get(LinearModel.KERNEL).values());
        assertThat(onDisk.get(LinearModel.STEP).values()).isNull();
        assertThatThrownBy(onDisk::floatValues).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("were left on disk");
        assertThat(SavedModelReader.open(SavedModelInspector.inspect(model), held.floatBytes()).inMemory()).isTrue();
    }

    @Test
    void replacementsAskedForOneAtATimeWriteWhatAMapOfThemWrites() throws Exception {
        ModelWeights onDisk = SavedModelReader.open(SavedModelInspector.inspect(model), 0);
        float[] kernel = new float[12];
        Arrays.fill(kernel, 0.25f);
        List<String> asked = new ArrayList<>();

        SavedModelWriter.write(onDisk, temp.resolve("lazy"), Set.of(LinearModel.KERNEL), key -> {
            asked.add(key);
            return kernel;
        });
        SavedModelWriter.write(SavedModelReader.read(model), temp.resolve("map"), Map.of(LinearModel.KERNEL, kernel));

        assertThat(asked).containsExactly(LinearModel.KERNEL);
        ModelWeights lazy = SavedModelReader.read(temp.resolve("lazy"));
        ModelWeights map = SavedModelReader.read(temp.resolve("map"));
        assertThat(lazy.get(LinearModel.KERNEL).values()).containsExactly(kernel);
        assertThat(lazy.get(LinearModel.BIAS).values()).containsExactly(map.get(LinearModel.BIAS).values());
        assertThatThrownBy(() -> SavedModelWriter.write(onDisk, temp.resolve("short"), Set.of(
                LinearModel.KERNEL), key -> new float[5])).isInstanceOf(TensorFlowException.class)
                .hasMessageContaining("has 12 values, the replacement 5");
    }

    @Test
    void aReadWriteRoundTripIsBitExact() throws Exception {
        ModelWeights original = SavedModelReader.read(model);
        Map<String, float[]> same = new HashMap<>();
        for (WeightTensor tensor : original.tensors()) {
            if (tensor.isFloat()) {
                same.put(tensor.key(), tensor.values().clone());
            }
        }
        Path copy = temp.resolve("copy");

        SavedModelWriter.write(original, copy, same);

        ModelWeights reread = SavedModelReader.read(copy);
        assertThat(reread.tensors()).hasSameSizeAs(original.tensors());
        for (WeightTensor tensor : original.tensors()) {
            WeightTensor other = reread.get(tensor.key());
            assertThat(other.spec()).isEqualTo(tensor.spec());
            if (tensor.isFloat()) {
                assertThat(rawBits(other.values())).as(tensor.key()).isEqualTo(rawBits(tensor.values()));
            }
        }
        assertThat(copy.resolve("saved_model.pb")).hasSameBinaryContentAs(model.resolve("saved_model.pb"));
    }

    @Test
    void variablesThatAreNotReplacedAreCarriedOverUntouched() throws Exception {
        ModelWeights original = SavedModelReader.read(model);
        Path copy = temp.resolve("copy");

        SavedModelWriter.write(original, copy, Map.of());

        assertThat(rawBits(SavedModelReader.read(copy).get(LinearModel.KERNEL).values()))
                .isEqualTo(rawBits(linear.kernel()));
        try (var bundle = org.tensorflow.SavedModelBundle.load(copy.toString(), "serve");
                var result = bundle.session().runner().fetch(LinearModel.STEP).run()) {
            assertThat(((org.tensorflow.types.TInt64) result.get(0)).getObject()).isEqualTo(LinearModel.STEP_VALUE);
        }
    }

    @Test
    void aReplacementMustFitItsVariable() throws Exception {
        ModelWeights original = SavedModelReader.read(model);

        assertThatThrownBy(() -> SavedModelWriter.write(original, temp.resolve("a"),
                Map.of(LinearModel.KERNEL, new float[5])))
                .isInstanceOf(TensorFlowException.class)
                .hasMessageContaining("'dense/kernel'").hasMessageContaining("12 values, the replacement 5");
        assertThatThrownBy(() -> SavedModelWriter.write(original, temp.resolve("b"),
                Map.of(LinearModel.STEP, new float[1])))
                .hasMessageContaining("'global_step'").hasMessageContaining("DT_INT64");
        assertThatThrownBy(() -> SavedModelWriter.write(original, temp.resolve("c"),
                Map.of("no/such/variable", new float[1])))
                .hasMessageContaining("no variable 'no/such/variable'");
    }

    @Test
    void writingIntoADirectoryThatHoldsSomethingIsRefused() throws Exception {
        ModelWeights original = SavedModelReader.read(model);
        Path busy = Files.createDirectories(temp.resolve("busy"));
        Files.writeString(busy.resolve("file"), "x");

        assertThatThrownBy(() -> SavedModelWriter.write(original, busy, Map.of())).hasMessageContaining("not empty");
    }

    @Test
    void aDirectoryWithoutSavedModelIsNamed() {
        Path empty = temp.resolve("empty");

        assertThatThrownBy(() -> SavedModelReader.read(empty))
                .isInstanceOf(TensorFlowException.class)
                .hasMessageContaining("not a SavedModel").hasMessageContaining(empty.toString());
    }

    @Test
    void aCorruptGraphFileIsNamed() throws Exception {
        Files.write(model.resolve("saved_model.pb"), new byte[] {0x7f, 0x01, 0x02, 0x03, 0x04});

        assertThatThrownBy(() -> SavedModelReader.read(model))
                .isInstanceOf(TensorFlowException.class)
                .hasMessageContaining("corrupt SavedModel").hasMessageContaining("saved_model.pb");
    }

    @Test
    void aMissingVariablesFileIsNamed() throws Exception {
        Files.delete(model.resolve("variables/variables.index"));

        assertThatThrownBy(() -> SavedModelReader.read(model))
                .isInstanceOf(TensorFlowException.class)
                .hasMessageContaining("variables.index is missing");
    }

    @Test
    void aTruncatedVariablesFileIsReportedNotCrashed() throws Exception {
        Path data;
        try (var files = Files.list(model.resolve("variables"))) {
            data = files.filter(f -> f.getFileName().toString().contains(".data-")).findFirst().orElseThrow();
        }
        Files.write(data, new byte[8]);

        assertThatThrownBy(() -> SavedModelReader.read(model))
                .isInstanceOf(TensorFlowException.class)
                .hasMessageContaining("cannot read the variables of SavedModel " + model);
    }

    private static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
