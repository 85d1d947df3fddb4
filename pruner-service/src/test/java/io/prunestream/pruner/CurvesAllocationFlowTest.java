package io.prunestream.pruner;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.events.LayerReport;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.Topics;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.calibration.LayerCurves;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code obs} with the curves' allocation, in two stages, through the real broker and pruner: each global variant's
 * kernels sit at points of the curves' grid, together remove at least the target, and the SavedModel holds exactly
 * the zeros each layer reports.
 */
@QuarkusTest
@TestProfile(CurvesAllocationFlowTest.Curves.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ReconstructionModelResource.class)
class CurvesAllocationFlowTest {

    /** The allocation by error curves, two stages. */
    public static class Curves implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pruner.reconstruction.allocation", "curves", "pruner.reconstruction.stages", "2");
        }
    }

    private static final ForeignModel.Kind KIND = ReconstructionModelResource.KIND;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    @Test
    void theGlobalVariantsTakeTheCurvesSharesAndMeetTheirTargets() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path dense = store.checkpointDir(ReconstructionModelResource.RUN, KIND.label());
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "curves", Checkpoints.CODEC.encode(Checkpoints.foreign(
                "curves", "curves-1", dense, "synthetic", KIND)));

        List<VariantEvent> global = Checkpoints.variants(bootstrap, "curves", 12).stream()
                .filter(v -> v.method() == PruningMethod.OBS && v.thresholdScope().wireName().equals("global"))
                .toList();

        assertThat(global).extracting(VariantEvent::variantId).containsExactlyInAnyOrder("curves-1-obs-global-s5000",
                "curves-1-obs-global-s5000-cbn256", "curves-1-obs-global-s7000", "curves-1-obs-global-s7000-cbn256");
        for (VariantEvent variant : global) {
            long pruned = 0;
            long parameters = 0;
            var weights = SavedModelReader.read(store.resolve(variant.modelUri()));
            for (LayerReport layer : variant.layers()) {
                double share = (double) layer.pruned() / layer.parameters();
                assertThat(Arrays.stream(LayerCurves.grid()).anyMatch(g -> Math.abs(g - share) < 0.02))
                        .as("%s %s at %s", variant.variantId(), layer.name(), share).isTrue();
                long zeros = 0;
                for (float v : weights.get(layer.name()).values()) {
                    zeros += v == 0 ? 1 : 0;
                }
                assertThat(zeros).as("%s %s", variant.variantId(), layer.name()).isEqualTo(layer.pruned());
                pruned += layer.pruned();
                parameters += layer.parameters();
            }
            assertThat((double) pruned / parameters).as(variant.variantId())
                    .isGreaterThanOrEqualTo(variant.targetSparsity() - 0.005);
        }
    }
}
