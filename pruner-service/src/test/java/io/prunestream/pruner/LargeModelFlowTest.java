package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.events.PruningMethod;
import io.prunestream.events.Topics;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.testing.IndependentPruning;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A model whose weights exceed the pruner's heap share for them is pruned a kernel at a time: its magnitude variants
 * hold exactly what the pruning rule written out plainly gives for each kernel, every other tensor carried over; the
 * methods that need the whole network in memory are skipped, counted by their reason.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(LargeModelResource.class)
class LargeModelFlowTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    @Test
    void kernelsPrunedOneAtATimeHoldWhatThePruningRuleGivesAndWholeModelMethodsAreSkipped() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path dense = store.checkpointDir(LargeModelResource.RUN, LargeModelResource.KIND.label());
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "large", Checkpoints.CODEC.encode(Checkpoints.foreign(
                "large", "large-1", dense, "synthetic", LargeModelResource.KIND)));

        List<VariantEvent> variants = Checkpoints.variants(bootstrap, "large", 4);

        assertThat(variants).extracting(VariantEvent::variantId).containsExactlyInAnyOrder(
                "large-1-t-layer-none-s5000", "large-1-t-layer-none-s9000", "large-1-tm-layer-filter-s5000",
                "large-1-tm-layer-filter-s9000");
        ModelWeights weights = SavedModelReader.read(dense);
        List<String> kernels = weights.model().prunableKernels().stream().map(k -> k.key()).toList();
        List<long[]> filters = IndependentPruning.filters(LargeModelResource.KIND);
        for (VariantEvent variant : variants) {
            ModelWeights pruned = SavedModelReader.read(store.resolve(variant.modelUri()));
            for (WeightTensor tensor : weights.tensors()) {
                if (!tensor.isFloat()) {
                    continue;
                }
                int k = kernels.indexOf(tensor.key());
                float[] expected = k < 0 ? tensor.values() : IndependentPruning.prune(tensor.values(),
                        variant.targetSparsity(), variant.method() == PruningMethod.THRESHOLD_MEAN, filters.get(k));
                assertThat(IndependentPruning.firstDifference(pruned.get(tensor.key()).values(), expected))
                        .as("%s %s", variant.variantId(), tensor.key()).isEqualTo(-1);
            }
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("pruner_calibration_skipped_total\\{[^}]*reason=\"weights-exceed-heap\""
                + "[^}]*} 1\\.0");
    }
}
