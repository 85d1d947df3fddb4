package io.prunestream.pruner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.events.BottleneckRequest;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.FilterSelection;
import io.prunestream.events.LayerReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.Network;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.Topics;
import io.prunestream.events.TrainingMethod;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelRunner;
import io.prunestream.tensorflow.structured.NetworkStructure;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.ModelExport;
import io.prunestream.tensorflow.training.NetworkSpec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Structured pruning through the real broker: a TPP checkpoint of a ResNet becomes physically smaller variants
 * (filter-l1 at three ratios, tpp at its own, bottleneck at multiply-add targets and filter-l1 beside it), each also
 * fine-tuned for an epoch; removing TPP's filters changes no output; what a structured method cannot do with a
 * checkpoint is dead-lettered by reason.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(StructuredModelResource.class)
class StructuredPruningTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    /** The TPP checkpoint's network, as the trainer built it. */
    private NetworkSpec network;
    /** What the trainer would say the network costs. */
    private LayerCost cost;
    /** The filters TPP chose. */
    private FilterSelection filters;

    @BeforeEach
    void facts() throws Exception {
        Properties facts = new Properties();
        try (Reader in = Files.newBufferedReader(storeRoot.resolve(StructuredModelResource.FACTS))) {
            facts.load(in);
        }
        network = new NetworkSpec(new ArchitectureSpec("resnet", 8, 4, null, null), false,
                Float.parseFloat(facts.getProperty("pixelMean")), Float.parseFloat(facts.getProperty("pixelStd")),
                List.of());
        cost = NetworkStructure.of(network).total();
        List<List<Integer>> removed = new ArrayList<>();
        for (String group : facts.getProperty("removed").split(";")) {
            removed.add(Arrays.stream(group.split(",")).map(Integer::valueOf).toList());
        }
        filters = new FilterSelection("tpp", Double.parseDouble(facts.getProperty("ratio")), removed);
    }

    @Test
    void aTppCheckpointBecomesSmallerModelsAndTppsOwnRemovalChangesNothing() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path model = store.checkpointDir(StructuredModelResource.RUN, StructuredModelResource.CHECKPOINT);
        CheckpointEvent checkpoint = event("structured", "structured-e003", model, network(network), filters, null);
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, checkpoint.runId(),
                Checkpoints.CODEC.encode(checkpoint));
        // The same model as if trained without TPP: no filters chosen, so filter-l1 is what applies.
        CheckpointEvent plain = event("structured", "structured-l1-e003", model, network(network), null,
                new BottleneckRequest(List.of(0.6), null, null, null, 30));
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, plain.runId(), Checkpoints.CODEC.encode(plain));

        // Each: 8 magnitude variants; then tpp at 0.5 (TPP checkpoint) or filter-l1 at 0.5, 0.7 and 0.9 (the
        // other), and bottleneck at the default targets 0.5 and 0.35 (TPP checkpoint) or its own 0.6, with filter-l1
        // at 0.6 too (the other), each as removed and fine-tuned for an epoch.
        List<VariantEvent> variants = variants("structured", 8 + 2 + 4 + 8 + 6 + 2 + 2);
        List<VariantEvent> structured = variants.stream().filter(v -> v.method().structured()).toList();
        assertThat(structured).extracting(VariantEvent::variantId).containsExactlyInAnyOrder(
                "structured-e003-tpp-r5000", "structured-e003-tpp-r5000-ft1",
                "structured-e003-bn-f5000", "structured-e003-bn-f5000-ft1", "structured-e003-bn-f3500",
                "structured-e003-bn-f3500-ft1",
                "structured-l1-e003-l1-r5000", "structured-l1-e003-l1-r5000-ft1", "structured-l1-e003-l1-r7000",
                "structured-l1-e003-l1-r7000-ft1", "structured-l1-e003-l1-r9000", "structured-l1-e003-l1-r9000-ft1",
                "structured-l1-e003-bn-f6000", "structured-l1-e003-bn-f6000-ft1", "structured-l1-e003-l1-f6000",
                "structured-l1-e003-l1-f6000-ft1");
        ModelCost dense = variants.get(0).denseCost();
        assertThat(dense.parameters()).isEqualTo(checkpoint.cost().parameters());
        assertThat(dense.fileBytes()).isEqualTo(ModelDigest.bytes(model));
        for (VariantEvent magnitude : variants.stream().filter(v -> !v.method().structured()).toList()) {
            assertThat(magnitude.cost().parameters()).as("zeros are still there").isEqualTo(dense.parameters());
            assertThat(magnitude.cost().multiplyAdds()).isEqualTo(dense.multiplyAdds());
        }
        for (VariantEvent v : structured) {
            assertThat(v.recoveryScope()).isEqualTo(RecoveryScope.NONE);
            assertThat(v.cost().parameters()).isLessThan(dense.parameters());
            assertThat(v.cost().multiplyAdds()).isLessThan(dense.multiplyAdds());
            assertThat(v.cost().fileBytes()).isPositive().isLessThan(dense.fileBytes());
            assertThat(v.fineTuneEpochs()).isEqualTo(v.variantId().endsWith("-ft1") ? 1 : 0);
            assertThat(ModelDigest.of(store.resolve(v.modelUri()))).isEqualTo(v.modelDigest());
            assertThat(v.gates() != null).isEqualTo(v.method() == PruningMethod.BOTTLENECK);
        }
        for (VariantEvent v : structured.stream().filter(v -> v.variantId().matches(".*-r\\d{4}.*")).toList()) {
            assertThat(v.achievedSparsity()).isBetween(0.05, v.targetSparsity());
            // The inner convs of resnet8-w4 have 4, 8 and 16 filters; the ratio's share of each is gone.
            assertThat(v.layers()).extracting(LayerReport::parameters).containsExactly(9L * 4 * 4, 9L * 4 * 8,
                    9L * 8 * 16);
            int[] filters = {4, 8, 16};
            for (int g = 0; g < 3; g++) {
                long removed = removed(v.targetSparsity(), filters[g]);
                assertThat(v.layers().get(g).pruned()).isEqualTo(v.layers().get(g).parameters() / filters[g] * removed);
            }
            Path dir = store.resolve(v.modelUri());
            assertThat(SavedModelReader.read(dir).get("conv2/kernel").spec().shape())
                    .containsExactly(3L, 3L, 4L, 4L - removed(v.targetSparsity(), 4));
        }
        LabeledImages images = SyntheticImages.generate(64, 28, 9);
        for (VariantEvent v : structured.stream().filter(v -> v.variantId().matches(".*-f\\d{4}.*")).toList()) {
            double target = Double.parseDouble("0." + v.variantId().replaceAll(".*-f(\\d+).*", "$1"));
            if (v.method() == PruningMethod.BOTTLENECK) {
                assertThat(v.targetSparsity()).isCloseTo(1 - target, within(1e-9));
                assertThat(v.gates().flopsTarget()).isEqualTo(target);
                assertThat(v.gates().batches()).as("the checkpoint's own batches, or a quarter of the split")
                        .isEqualTo(v.variantId().contains("-f6000") ? 30 : 20);
                assertThat(v.gates().trainingMillis()).isPositive();
                assertThat(v.layers()).isNotEmpty().allSatisfy(l -> assertThat(l.pruned()).isPositive());
            }
            // The coarse channels of resnet8-w4 (4, 8, 16) leave the cost near the target, not at it; a few batches
            // of gate training leave the gates too close together for the threshold to get nearer.
            assertThat((double) v.cost().multiplyAdds() / dense.multiplyAdds()).as(v.variantId())
                    .isCloseTo(target, within(0.15));
            assertThat(logits(store.resolve(v.modelUri()), images)).hasSize(64 * 10);
        }
        VariantEvent tpp = structured.stream().filter(v -> v.variantId().endsWith("tpp-r5000")).findFirst()
                .orElseThrow();
        assertThat(tpp.method()).isEqualTo(PruningMethod.TPP);
        assertThat(tpp.layers()).as("TPP drove its filters to zero").allSatisfy(l ->
                assertThat(l.threshold()).isZero());
        assertThat(logits(store.resolve(tpp.modelUri()), images)).containsExactly(logits(model, images),
                within(1e-4f));
        VariantEvent tuned = structured.stream().filter(v -> v.variantId().endsWith("tpp-r5000-ft1")).findFirst()
                .orElseThrow();
        assertThat(logits(store.resolve(tuned.modelUri()), images)).as("fine-tuning trained it further")
                .isNotEqualTo(logits(model, images));
    }

    /**
     * Fine-tuning makes a checkpoint take minutes: the channel must neither leave its group nor be failed for a record
     * not yet acknowledged (SmallRye's default of 60 s took the channel down in bench/structured.sh).
     */
    @Test
    void aCheckpointMayTakeHalfAnHour() {
        Config config = ConfigProvider.getConfig();
        String channel = "mp.messaging.incoming.checkpoints-in.";
        assertThat(config.getValue(channel + "throttled.unprocessed-record-max-age.ms", Long.class))
                .isEqualTo(config.getValue(channel + "max.poll.interval.ms", Long.class)).isEqualTo(1_800_000L);
    }

    @Test
    void whatTheStructuredMethodsCannotDoIsDeadLetteredByReason() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path tppModel = store.checkpointDir(StructuredModelResource.RUN, StructuredModelResource.CHECKPOINT);
        Path cnn = store.checkpointDir(StructuredModelResource.RUN, StructuredModelResource.CNN);
        Network resnet = network(network);
        List<Map.Entry<String, CheckpointEvent>> bad = List.of(
                Map.entry("unknown-architecture: checkpoint bad-s1 carries filters chosen by tpp but no network",
                        event("bad-structured", "bad-s1", tppModel, null, filters)),
                Map.entry("network-mismatch: checkpoint bad-s2: the checkpoint at ",
                        event("bad-structured", "bad-s2", cnn, resnet, null)),
                Map.entry("invalid-filters: checkpoint bad-s3: filters.removed lists 1 groups but resnet8-w4 has 3",
                        event("bad-structured", "bad-s3", tppModel, resnet, new FilterSelection("tpp", 0.5,
                                List.of(List.of(0))))),
                Map.entry("invalid-filters: checkpoint bad-s4: filters.removed[2] names filter 16 but group 2",
                        event("bad-structured", "bad-s4", tppModel, resnet, new FilterSelection("tpp", 0.5,
                                List.of(List.of(0), List.of(1), List.of(3, 16))))),
                Map.entry("unknown-architecture: checkpoint bad-s5 carries filters chosen by tpp but its network"
                        + " small-cnn has no removable filters", event("bad-structured", "bad-s5", cnn,
                        new Network("small-cnn", null, null, List.of(28, 28, 1), 10, "cosine", 0.3, 0.3), filters)),
                Map.entry("unknown-architecture: checkpoint bad-s6 asks for bottleneck pruning but its network"
                        + " small-cnn has no channel groups to gate", event("bad-structured", "bad-s6", cnn,
                        new Network("small-cnn", null, null, List.of(28, 28, 1), 10, "cosine", 0.3, 0.3), null,
                        new BottleneckRequest(null, 6.0, null, null, null))),
                Map.entry("unreachable-target: checkpoint bad-s7: bottleneck multiply-add target 0.001 (",
                        event("bad-structured", "bad-s7", tppModel, resnet, null,
                                new BottleneckRequest(List.of(0.5, 0.001), null, null, null, null))),
                Map.entry("unknown-dataset: dataset 'cifar10' is not in this deployment's catalogue (it has broken,"
                        + " fashion-mnist, synthetic)",
                        event("bad-structured", "bad-s8", tppModel, resnet, null, null, "cifar10")),
                Map.entry("missing-dataset: cannot train the bottleneck of checkpoint bad-s9: dataset 'broken' is"
                        + " unusable: dataset folder ", event("bad-structured", "bad-s9", tppModel, resnet, null, null,
                        "broken")));
        for (Map.Entry<String, CheckpointEvent> record : bad) {
            KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "bad-structured",
                    Checkpoints.CODEC.encode(record.getValue()));
        }
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap,
                Topics.deadLetterTopic(Topics.CHECKPOINTS), r -> "bad-structured".equals(r.key()), bad.size(),
                Duration.ofSeconds(60))) {
            reasons.add(new String(record.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER).value(),
                    StandardCharsets.UTF_8));
        }
        assertThat(reasons).hasSize(bad.size());
        for (int i = 0; i < bad.size(); i++) {
            assertThat(reasons.get(i)).startsWith(bad.get(i).getKey());
        }
        assertThat(KafkaTestClients.readToEnd(bootstrap, Topics.VARIANTS, Duration.ofSeconds(30)))
                .as("no variant was published for them").noneMatch(r -> "bad-structured".equals(r.key()));
    }

    /** Filters removed from a layer of {@code filters} at {@code ratio}: the nearest count, keeping at least one. */
    private static long removed(double ratio, int filters) {
        return filters - Math.max(1, filters - Math.round(ratio * filters));
    }

    private static Network network(NetworkSpec spec) {
        return new Network("resnet", spec.architecture().depth(), spec.architecture().width(),
                spec.architecture().inputShape(), spec.architecture().classes(), spec.cosine() ? "cosine" : "dense",
                spec.pixelMean(), spec.pixelStd());
    }

    private CheckpointEvent event(String runId, String checkpointId, Path model, Network network,
            FilterSelection filters) throws Exception {
        return event(runId, checkpointId, model, network, filters, null);
    }

    private CheckpointEvent event(String runId, String checkpointId, Path model, Network network,
            FilterSelection filters, BottleneckRequest bottleneck) throws Exception {
        return event(runId, checkpointId, model, network, filters, bottleneck, "synthetic");
    }

    private CheckpointEvent event(String runId, String checkpointId, Path model, Network network,
            FilterSelection filters, BottleneckRequest bottleneck, String dataset) throws Exception {
        return CheckpointEvent.create(runId, checkpointId, model.toUri().toString().replaceAll("/$", ""),
                ModelDigest.of(model), network == null ? "resnet8-w4" : network.family(), dataset, 3, 30,
                Map.of("testAccuracy", 0.5), new TrainingMethod("tpp", 3, Map.of("tppRatio", 0.5)),
                new ServingSignature("serving_default", "image", List.of(-1L, 28L, 28L, 1L),
                        List.of("logits", "probabilities")), network,
                new ModelCost(cost.parameters(), cost.multiplyAdds(), ModelDigest.bytes(model)), filters, bottleneck);
    }

    private List<VariantEvent> variants(String runId, int count) throws Exception {
        List<VariantEvent> variants = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap, Topics.VARIANTS,
                r -> runId.equals(r.key()), count, Duration.ofSeconds(300))) {
            variants.add(Checkpoints.CODEC.decode(record.value(), VariantEvent.class));
        }
        return variants;
    }

    private static float[] logits(Path model, LabeledImages images) throws Exception {
        try (SavedModelRunner runner = SavedModelRunner.open(model, ModelExport.SIGNATURE_KEY, ModelExport.INPUT,
                ModelExport.LOGITS)) {
            return runner.run(images, 0, images.count());
        }
    }
}
