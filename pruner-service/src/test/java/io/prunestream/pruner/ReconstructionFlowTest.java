package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.events.LayerReport;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.Topics;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.IndependentPruning;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Layer-wise reconstruction ({@code obs}) through the real broker and pruner: a batch-norm model gets its
 * reconstructed variants per layer and globally, as pruned and with batch norm re-estimated, each with exactly the
 * zeros it reports, every other tensor carried over, and a SavedModel whose top-1 equals an independent forward pass
 * of its own weights; reconstruction keeps the logits closer to the dense model's than zeroing the same share does.
 * A model without batch norm gets its uncalibrated ones only, and a dataset without a training split none, each
 * skip counted by its reason.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ReconstructionModelResource.class)
class ReconstructionFlowTest {

    private static final LabeledImages TEST = SyntheticImages.generate(100, 28, 2);
    private static final ForeignModel.Kind KIND = ReconstructionModelResource.KIND;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    @Test
    void aBatchNormModelGetsItsReconstructedVariantsEachTheModelItSaysItIs() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path dense = store.checkpointDir(ReconstructionModelResource.RUN, KIND.label());
        send("obs-bn", "obs-bn-1", dense, "synthetic", KIND);
        List<VariantEvent> variants = variants("obs-bn", 12);
        List<VariantEvent> reconstructed = variants.stream().filter(v -> v.method() == PruningMethod.OBS).toList();
        assertThat(reconstructed).extracting(VariantEvent::variantId).containsExactlyInAnyOrder(
                "obs-bn-1-obs-layer-s5000", "obs-bn-1-obs-layer-s5000-cbn256", "obs-bn-1-obs-layer-s7000",
                "obs-bn-1-obs-layer-s7000-cbn256", "obs-bn-1-obs-global-s5000", "obs-bn-1-obs-global-s5000-cbn256",
                "obs-bn-1-obs-global-s7000", "obs-bn-1-obs-global-s7000-cbn256");
        ModelWeights weights = SavedModelReader.read(dense);
        List<String> kernels = weights.model().prunableKernels().stream().map(k -> k.key()).toList();
        for (VariantEvent variant : reconstructed) {
            String what = variant.variantId();
            assertThat(variant.layers()).extracting(LayerReport::name).as(what).containsExactlyElementsOf(kernels);
            // Every kernel of this small model is reconstructed, and the event says how.
            assertThat(variant.layers()).extracting(LayerReport::solver).as(what).isSubsetOf("exact", "sparsegpt");
            assertThat(variant.achievedSparsity()).as(what).isCloseTo(variant.targetSparsity(), within(0.01));
            if (variant.thresholdScope().wireName().equals("layer")) {
                variant.layers().forEach(layer -> assertThat((double) layer.pruned() / layer.parameters()).as(what)
                        .isCloseTo(variant.targetSparsity(), within(0.02)));
            }
            assertThat(variant.calibration() == null).as(what).isEqualTo(!what.endsWith("-cbn256"));
            ModelWeights pruned = SavedModelReader.read(store.resolve(variant.modelUri()));
            Map<String, float[]> own = new HashMap<>();
            for (WeightTensor tensor : weights.tensors()) {
                if (!tensor.isFloat()) {
                    continue;
                }
                float[] now = pruned.get(tensor.key()).values();
                own.put(tensor.key(), now);
                int k = kernels.indexOf(tensor.key());
                if (k >= 0) {
                    assertThat(zeros(now)).as("%s %s: zeros", what, tensor.key())
                            .isEqualTo(variant.layers().get(k).pruned());
                    // The kept weights were moved to make up for the removed ones.
                    assertThat(IndependentPruning.firstDifference(now, tensor.values())).as(what).isNotEqualTo(-1);
                } else if (!(variant.calibration() != null && tensor.key().contains("/moving_"))) {
                    assertThat(IndependentPruning.firstDifference(now, tensor.values()))
                            .as("%s %s carried over", what, tensor.key()).isEqualTo(-1);
                }
            }
            assertThat(ForeignModels.savedModelTop1(KIND, store.resolve(variant.modelUri()), TEST)).as(what)
                    .isEqualTo(ForeignModels.top1(ForeignModels.referenceLogits(KIND, own, TEST), TEST));
        }
        float[] denseLogits = ForeignModels.referenceLogits(KIND, weights(weights), TEST);
        double zeroed = distance(denseLogits, logits(store, find(variants, "obs-bn-1-t-layer-none-s7000")));
        double obs = distance(denseLogits, logits(store, find(variants, "obs-bn-1-obs-layer-s7000")));
        assertThat(obs).as("logit distance to dense: reconstructed against zeroed at 70%").isLessThan(zeroed);
    }

    @Test
    void withoutBatchNormOnlyUncalibratedVariantsAndWithoutTrainingImagesNoReconstructionEachSkipCounted()
            throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path smallCnn = store.checkpointDir(ReconstructionModelResource.RUN, ReconstructionModelResource.SMALL_CNN);
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "obs-cnn", Checkpoints.CODEC.encode(
                Checkpoints.event("obs-cnn", "obs-cnn-1", smallCnn)));
        assertThat(variants("obs-cnn", 6)).extracting(VariantEvent::variantId).containsExactlyInAnyOrder(
                "obs-cnn-1-t-layer-none-s5000", "obs-cnn-1-t-layer-none-s7000", "obs-cnn-1-obs-layer-s5000",
                "obs-cnn-1-obs-layer-s7000", "obs-cnn-1-obs-global-s5000", "obs-cnn-1-obs-global-s7000");

        send("obs-test-only", "obs-test-only-1", store.checkpointDir(ReconstructionModelResource.RUN, KIND.label()),
                "test-only", KIND);
        assertThat(variants("obs-test-only", 2)).extracting(VariantEvent::variantId).containsExactlyInAnyOrder(
                "obs-test-only-1-t-layer-none-s5000", "obs-test-only-1-t-layer-none-s7000");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("pruner_calibration_skipped_total\\{[^}]*reason=\"no-batch-norm\"[^}]*}"
                + " [1-9]").containsPattern("pruner_calibration_skipped_total\\{[^}]*reason=\"no-calibration-data\""
                + "[^}]*} [1-9]").containsPattern("pruner_reconstruction_duration_seconds_count(\\{[^}]*})? [1-9]");
    }

    private void send(String run, String checkpointId, Path model, String dataset, ForeignModel.Kind kind)
            throws Exception {
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, run, Checkpoints.CODEC.encode(Checkpoints.foreign(run,
                checkpointId, model, dataset, kind)));
    }

    private List<VariantEvent> variants(String run, int count) throws Exception {
        return Checkpoints.variants(bootstrap, run, count);
    }

    private static VariantEvent find(List<VariantEvent> variants, String id) {
        return variants.stream().filter(v -> v.variantId().equals(id)).findFirst().orElseThrow();
    }

    private static float[] logits(ModelStore store, VariantEvent variant) throws Exception {
        return ForeignModels.referenceLogits(KIND, weights(SavedModelReader.read(store.resolve(variant.modelUri()))),
                TEST);
    }

    private static Map<String, float[]> weights(ModelWeights model) throws Exception {
        Map<String, float[]> all = new HashMap<>();
        for (WeightTensor tensor : model.tensors()) {
            if (tensor.isFloat()) {
                all.put(tensor.key(), tensor.values());
            }
        }
        return all;
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return sum;
    }

    private static int zeros(float[] values) {
        int zeros = 0;
        for (float v : values) {
            zeros += v == 0 ? 1 : 0;
        }
        return zeros;
    }
}
