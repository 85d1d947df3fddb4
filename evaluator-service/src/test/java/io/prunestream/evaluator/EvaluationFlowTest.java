package io.prunestream.evaluator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

import io.prunestream.deploy.Dashboards;
import io.prunestream.datasets.LabeledImages;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.Disagreements;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.LayerReport;
import io.prunestream.events.ModelCost;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.ThresholdScope;
import io.prunestream.events.Topics;
import io.prunestream.events.TrainingMethod;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.statistics.Interval;
import io.prunestream.statistics.Proportions;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.Logits;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelRunner;
import io.prunestream.tensorflow.SavedModelWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Real models, real DJL, real broker: dense and variant scores, once each; bad models dead-lettered. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(ScoredModelsResource.class)
class EvaluationFlowTest {

    private static final ServingSignature SIGNATURE = new ServingSignature("serving_default", "image",
            List.of(-1L, 28L, 28L, 1L), List.of("logits", "probabilities"));
    private final EventCodec codec = new EventCodec();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @jakarta.inject.Inject
    io.prunestream.evaluator.service.PreparedInputs preparedInputs;

    @ConfigProperty(name = "evaluator.model-store")
    Path storeRoot;

    @ConfigProperty(name = "evaluator.order-seed")
    long orderSeed;

    @ConfigProperty(name = "evaluator.datasets.synthetic.dir")
    Path dataDir;

    @Test
    void denseAndVariantAreScoredOnceWithTheTop1OfAnIndependentComputation() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path dense = store.checkpointDir(ScoredModelsResource.RUN, ScoredModelsResource.CHECKPOINT);
        Path variant = store.variantDir(ScoredModelsResource.RUN, "eval-run-e001-t-layer-none-s5000");
        ModelWeights weights = SavedModelReader.read(dense);
        float[] kernel = weights.get("dense1/kernel").values().clone();
        for (int i = 0; i < kernel.length; i += 2) {
            kernel[i] = 0f;
        }
        SavedModelWriter.write(weights, variant, Map.of("dense1/kernel", kernel));
        // Broken: the output layer's kernel negated, so that the model ranks the dense model's answer last.
        Path broken = store.variantDir(ScoredModelsResource.RUN, "eval-run-e001-t-layer-none-s9000");
        io.prunestream.tensorflow.WeightTensor output = weights.tensors().stream()
                .filter(t -> t.key().endsWith("/kernel") && t.spec().shape().size() == 2
                        && t.spec().shape().get(1) == 10)
                .reduce((first, second) -> second).orElseThrow();
        float[] negated = output.values().clone();
        for (int i = 0; i < negated.length; i++) {
            negated[i] = -negated[i];
        }
        SavedModelWriter.write(weights, broken, Map.of(output.key(), negated));

        ModelCost cost = new ModelCost(856_000, 2_500_000, ModelDigest.bytes(dense));
        CheckpointEvent checkpoint = CheckpointEvent.create(ScoredModelsResource.RUN,
                ScoredModelsResource.CHECKPOINT, uri(dense), ModelDigest.of(dense), "small-cnn", "synthetic", 1, 10,
                Map.of(), new TrainingMethod("hyperspherical+l1", 3, Map.of()), SIGNATURE, null, cost, null);
        VariantEvent pruned = variantEvent("eval-run-e001-t-layer-none-s5000", variant, ModelDigest.of(variant));
        long conversionsBefore = preparedInputs.conversions();
        double successesBefore = successes();
        send(codec.encode(checkpoint));
        send(codec.encode(pruned));
        send(codec.encode(pruned)); // a redelivery
        send(codec.encode(variantEvent("eval-run-e001-t-layer-none-s9000", broken, ModelDigest.of(broken))));

        List<EvaluationEvent> events = evaluations(4);
        assertThat(events).hasSize(4);
        EvaluationEvent denseScore = events.stream().filter(e -> e.method() == PruningMethod.DENSE).findFirst()
                .orElseThrow();
        List<EvaluationEvent> variantScores = events.stream().filter(e -> e.variantId().endsWith("s5000"))
                .toList();
        assertThat(variantScores).hasSize(2);
        assertThat(variantScores.get(1).eventId()).as("the redelivery republishes the stored result")
                .isEqualTo(variantScores.get(0).eventId());
        LabeledImages test = testSplit(dataDir);
        assertThat(denseScore.top1()).isEqualTo(independentTop1(dense, test));
        // Scored sequentially: on the first images of the split's random order, as many as it took to stop.
        EvaluationEvent scored = variantScores.get(0);
        int[] order = preparedInputs.order(300);
        assertThat(scored.stopping()).isNotNull();
        assertThat(scored.stopping().splitImages()).isEqualTo(300);
        assertThat(scored.top1()).isEqualTo(countIn(independentlyRight(variant, test), order, scored.samples())
                / (double) scored.samples());
        assertThat(denseScore.variantId()).isEqualTo(ScoredModelsResource.CHECKPOINT);
        assertThat(denseScore.samples()).isEqualTo(300);
        assertThat(denseScore.device()).isEqualTo("cpu");
        assertThat(denseScore.top5()).isGreaterThanOrEqualTo(denseScore.top1());
        assertThat(denseScore.loss()).isPositive();
        assertThat(denseScore.imagesPerSecond()).isPositive();
        assertThat(denseScore.batchLatencyP95Ms()).isGreaterThanOrEqualTo(denseScore.batchLatencyP50Ms());
        assertThat(denseScore.cost()).as("what the checkpoint said it costs").isEqualTo(cost);
        assertThat(denseScore.input()).as("what it was fed").isEqualTo(new io.prunestream.events.InputFeed(
                List.of(-1L, 28L, 28L, 1L), io.prunestream.events.Preprocessing.DEFAULT));
        assertThat(denseScore.latencyMs()).isPositive();
        assertThat(denseScore.batchLatencyP50Ms()).isPositive();
        assertThat(denseScore.precision()).as("the default").isEqualTo(io.prunestream.events.Precision.FLOAT32);
        assertThat(preparedInputs.conversions() - conversionsBefore)
                .as("the variant fed from the split converted for the checkpoint (or for an earlier test)")
                .isLessThanOrEqualTo(1);
        assertThat(variantScores.get(0).cost()).as("unknown for this variant").isNull();
        // Uncertainty: Wilson's interval of each top-1, and the variant against the dense model image by image.
        assertThat(denseScore.top1Interval()).isEqualTo(wilson(denseScore));
        assertThat(denseScore.dropVsDense()).isNull();
        assertThat(denseScore.stopping()).as("a dense model is scored on the whole split").isNull();
        BitSet denseRight = independentlyRight(dense, test);
        BitSet variantRight = independentlyRight(variant, test);
        BitSet denseOnly = (BitSet) denseRight.clone();
        denseOnly.andNot(variantRight);
        BitSet variantOnly = (BitSet) variantRight.clone();
        variantOnly.andNot(denseRight);
        Disagreements disagreements = scored.disagreements();
        assertThat(disagreements.denseOnly()).isEqualTo(countIn(denseOnly, order, scored.samples()));
        assertThat(disagreements.variantOnly()).isEqualTo(countIn(variantOnly, order, scored.samples()));
        assertThat(scored.dropVsDense().estimate()).isCloseTo((disagreements.denseOnly()
                - disagreements.variantOnly()) / (double) scored.samples(), within(1e-12));
        double splitDrop = (denseOnly.cardinality() - variantOnly.cardinality()) / 300.0;
        assertThat(new Interval(scored.dropVsDense().low(), scored.dropVsDense().high(), 0.95).contains(splitDrop))
                .as("the sequence's interval holds the whole split's drop").isTrue();
        assertThat(scored.top1Interval().contains(variantRight.cardinality() / 300.0)).isTrue();
        assertThat(scored.dropVsDense().level()).isEqualTo(0.95);
        // Broken: the sequence of its drop lies above the 20-point cut long before the split's end.
        EvaluationEvent brokenScore = events.stream().filter(e -> e.variantId().endsWith("s9000")).findFirst()
                .orElseThrow();
        assertThat(brokenScore.stopping().reason()).isEqualTo(io.prunestream.events.StopReason.BROKEN);
        assertThat(brokenScore.samples()).isLessThan(300);
        assertThat(brokenScore.dropVsDense().low()).isGreaterThan(0.2);
        assertThat(variantScores.get(0).fineTuned()).isFalse();

        List<String> results = given().queryParam("runId", ScoredModelsResource.RUN).get("/results").then()
                .statusCode(200).extract().jsonPath().getList("variantId", String.class);
        assertThat(results).containsExactlyInAnyOrder(ScoredModelsResource.CHECKPOINT,
                "eval-run-e001-t-layer-none-s5000", "eval-run-e001-t-layer-none-s9000");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("evaluator_top1{finetune=\"0\",method=\"dense\",recovery=\"none\","
                + "run=\"eval-run\",sparsity=\"0.00\"}");
        assertThat(metrics).contains("evaluator_top1{finetune=\"0\",method=\"threshold\",recovery=\"none\","
                + "run=\"eval-run\",sparsity=\"0.50\"}");
        assertThat(metrics).contains("evaluator_model_parameters{finetune=\"0\",method=\"dense\",recovery=\"none\","
                + "run=\"eval-run\",sparsity=\"0.00\"} 856000.0", "evaluator_model_multiply_adds{",
                "evaluator_model_size_bytes{", "evaluator_single_image_latency_seconds{");
        assertThat(metrics).contains("evaluator_early_stops_total{reason=\"broken\"} ",
                "evaluator_early_stops_total{reason=\"" + scored.stopping().reason() + "\"} ");
        assertThat(metrics).contains("evaluator_top1_drop{", "evaluator_evaluation_duration_seconds_count",
                "evaluator_device{device=\"cpu\"} 1.0", "evaluator_images_per_second");
        assertThat(successes() - successesBefore).as("the dense model and the variants, the redelivery not again")
                .isEqualTo(3.0);
        assertThat(Dashboards.exposedNames(metrics)).as("what the Grafana dashboards read")
                .containsAll(Dashboards.ofRepository().metricNamesExposedBy("evaluator"));

        given().get("/results/" + ScoredModelsResource.RUN + "/report").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<svg"), containsString("<path d=\"M"), containsString("threshold"),
                        containsString("<th>multiply-adds</th>"), containsString("856,000"),
                        containsString("<a href=\"http://localhost:8082/variants/eval-run-e001-t-layer-none-s5000"
                                + "/savedmodel.tar.gz?runId=eval-run\">"));
    }

    /**
     * A dense evaluation kept without its per-image results (stored before they existed, or under another order
     * seed): its checkpoint event replayed scores it again for them and republishes the stored evaluation unchanged,
     * so that its variants are compared instead of waiting for results that never come.
     */
    @Test
    void aReplayedCheckpointWhoseResultsAreMissingIsScoredAgainForThem() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path dense = store.checkpointDir(ScoredModelsResource.RUN, ScoredModelsResource.CHECKPOINT);
        String run = "bits-run";
        CheckpointEvent checkpoint = CheckpointEvent.create(run, "bits-run-e001", uri(dense), ModelDigest.of(dense),
                "small-cnn", "synthetic", 1, 10, Map.of(), new TrainingMethod("hyperspherical+l1", 3, Map.of()),
                SIGNATURE);
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, run, codec.encode(checkpoint));
        EvaluationEvent first = evaluationsOf(run, 1).get(0);
        Path bits = storeRoot.resolve("correctness").resolve(run).resolve("bits-run-e001." + orderSeed + ".bits");
        assertThat(bits).exists();
        Files.delete(bits);

        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, run, codec.encode(checkpoint));
        List<EvaluationEvent> both = evaluationsOf(run, 2);
        assertThat(both.get(1).eventId()).as("the stored evaluation, republished").isEqualTo(first.eventId());
        assertThat(bits).as("the per-image results, written again").exists();
    }

    @Test
    void aPhysicallySmallerResNetLoadsInDjlAndScoresAsTheFullOneDid() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path full = store.checkpointDir(ScoredModelsResource.RUN, ScoredModelsResource.RESNET);
        Path smaller = store.variantDir(ScoredModelsResource.RUN, ScoredModelsResource.SMALLER);
        ModelCost cost = new ModelCost(5_000, 300_000, ModelDigest.bytes(smaller));
        VariantEvent tpp = VariantEvent.builder().runId("eval-resnet").checkpointId(ScoredModelsResource.RESNET)
                .variantId(ScoredModelsResource.SMALLER).modelUri(uri(smaller)).modelDigest(ModelDigest.of(smaller))
                .method(PruningMethod.TPP).targetSparsity(0.5).achievedSparsity(0.3)
                .thresholdScope(ThresholdScope.LAYER).recoveryScope(RecoveryScope.NONE).layers(List.of())
                .denseBytes(0).storageBytes(0).dataset("synthetic").epoch(3).signature(SIGNATURE).cost(cost)
                .denseCost(new ModelCost(9_000, 500_000, ModelDigest.bytes(full))).fineTuneEpochs(0).build();
        // The full network is the variant's dense model: scored too, and compared with on the same images.
        send(codec.encode(CheckpointEvent.create("eval-resnet", ScoredModelsResource.RESNET, uri(full),
                ModelDigest.of(full), "resnet", "synthetic", 3, 0, Map.of(), new TrainingMethod("tpp", 3, Map.of()),
                SIGNATURE)));
        send(codec.encode(tpp));

        List<EvaluationEvent> scores = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap, Topics.EVALUATIONS,
                r -> "eval-resnet".equals(r.key()), 2, Duration.ofSeconds(120))) {
            scores.add(codec.decode(record.value(), EvaluationEvent.class));
        }
        EvaluationEvent score = scores.stream().filter(e -> e.method() == PruningMethod.TPP).findFirst()
                .orElseThrow();

        LabeledImages test = testSplit(dataDir);
        assertThat(score.method()).isEqualTo(PruningMethod.TPP);
        // Scored sequentially: as far as the split's order took it to stop, the same images for both.
        int[] order = preparedInputs.order(300);
        assertThat(score.top1()).isEqualTo(countIn(independentlyRight(full, test), order, score.samples())
                / (double) score.samples());
        assertThat(independentTop1(smaller, test)).isEqualTo(independentTop1(full, test));
        assertThat(score.cost()).isEqualTo(cost);
        assertThat(score.fineTuneEpochs()).isZero();
        assertThat(score.latencyMs()).isPositive();
        assertThat(score.dropVsDense().estimate()).as("the same predictions as the full network").isZero();
        assertThat(score.disagreements()).isEqualTo(new Disagreements(0, 0, 1.0));
    }

    @Test
    void modelsThatCannotBeScoredAreDeadLetteredByReason() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path dense = store.checkpointDir(ScoredModelsResource.RUN, ScoredModelsResource.CHECKPOINT);
        Path corrupt = store.variantDir("bad-eval", "corrupt");
        Files.createDirectories(corrupt.resolve("variables"));
        Files.write(corrupt.resolve("saved_model.pb"), new byte[] {9, 9, 9});
        send(codec.encode(variantEvent("bad-corrupt", corrupt, ModelDigest.of(corrupt))));
        send("{not json".getBytes(StandardCharsets.UTF_8));
        send(codec.encode(withSignature("bad-shape", dense, new ServingSignature("serving_default", "image",
                List.of(-1L, 32L, 32L, 3L), List.of("logits")))));
        send(codec.encode(withSignature("bad-input", dense, new ServingSignature("serving_default", "pixels",
                List.of(-1L, 28L, 28L, 1L), List.of("logits")))));
        // A good variant whose checkpoint event never comes: scored, then waited on for evaluator.dense-wait.
        send(codec.encode(withSignature("orphan", dense, SIGNATURE)));

        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap,
                Topics.deadLetterTopic(Topics.VARIANTS), 5, Duration.ofSeconds(180))) {
            reasons.add(new String(record.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER).value(),
                    StandardCharsets.UTF_8));
        }
        assertThat(reasons).hasSize(5);
        assertThat(reasons.get(0)).startsWith("corrupt-model: ");
        assertThat(reasons.get(1)).startsWith("invalid-event: $: malformed JSON");
        assertThat(reasons.get(2)).startsWith("input-shape-mismatch: input 'image': input shape [-1, 32, 32, 3] fits"
                + " none of the layouts of 28x28x1 images");
        assertThat(reasons.get(3)).startsWith("signature-mismatch: signature 'serving_default'")
                .contains("no input 'pixels'");
        assertThat(reasons.get(4)).startsWith("dense-not-scored: variant orphan: its dense model, checkpoint c of run"
                + " bad-eval, was not scored within");
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertThat(metrics).containsPattern("evaluator_failures_total\\{reason=\"corrupt-model\"} [1-9]");
    }

    private static io.prunestream.events.ScoreInterval wilson(EvaluationEvent score) {
        Interval interval = Proportions.wilson(Math.round(score.top1() * score.samples()), score.samples(), 0.95);
        return new io.prunestream.events.ScoreInterval(interval.low(), interval.high(), 0.95);
    }

    private VariantEvent variantEvent(String variantId, Path model, String digest) throws Exception {
        return VariantEvent.builder().runId(ScoredModelsResource.RUN).checkpointId(ScoredModelsResource.CHECKPOINT)
                .variantId(variantId).modelUri(uri(model)).modelDigest(digest).method(PruningMethod.THRESHOLD)
                .targetSparsity(0.5).achievedSparsity(0.5).thresholdScope(ThresholdScope.LAYER)
                .recoveryScope(RecoveryScope.NONE)
                .layers(List.of(new LayerReport("dense1/kernel", 802_816, 401_408, 0.0, null))).denseBytes(3_211_264)
                .storageBytes(1_706_000).dataset("synthetic").epoch(1).signature(SIGNATURE).build();
    }

    private static VariantEvent withSignature(String variantId, Path model, ServingSignature signature)
            throws Exception {
        return VariantEvent.builder().runId("bad-eval").checkpointId("c").variantId(variantId).modelUri(uri(model))
                .modelDigest(ModelDigest.of(model)).method(PruningMethod.THRESHOLD).targetSparsity(0.5)
                .achievedSparsity(0.5).thresholdScope(ThresholdScope.LAYER).recoveryScope(RecoveryScope.NONE)
                .layers(List.of()).denseBytes(0).storageBytes(0).dataset("synthetic").epoch(1).signature(signature)
                .build();
    }

    private static String uri(Path model) {
        return model.toUri().toString().replaceAll("/$", "");
    }

    private void send(byte[] value) throws Exception {
        String topic = new String(value, StandardCharsets.UTF_8).contains("\"eventType\":\"checkpoint\"")
                ? Topics.CHECKPOINTS : Topics.VARIANTS;
        KafkaTestClients.send(bootstrap, topic, ScoredModelsResource.RUN, value);
    }

    private List<EvaluationEvent> evaluationsOf(String run, int count) throws Exception {
        List<EvaluationEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : KafkaTestClients.read(bootstrap, Topics.EVALUATIONS,
                r -> run.equals(r.key()), count, Duration.ofSeconds(120))) {
            events.add(codec.decode(record.value(), EvaluationEvent.class));
        }
        return events;
    }

    private List<EvaluationEvent> evaluations(int count) throws Exception {
        return evaluationsOf(ScoredModelsResource.RUN, count);
    }

    /** How many of the first {@code n} images of {@code order} are set in {@code images}. */
    private static int countIn(BitSet images, int[] order, long n) {
        int count = 0;
        for (int p = 0; p < n; p++) {
            count += images.get(order[p]) ? 1 : 0;
        }
        return count;
    }

    /** Top-1 from a plain TensorFlow session over the same images: no DJL involved. */
    private static double independentTop1(Path model, LabeledImages test) throws Exception {
        return independentlyRight(model, test).cardinality() / (double) test.count();
    }

    /** Which test images the model gets right, from a plain TensorFlow session (no DJL). */
    private static BitSet independentlyRight(Path model, LabeledImages test) throws Exception {
        BitSet right = new BitSet();
        try (SavedModelRunner runner = SavedModelRunner.open(model, "serving_default", "image", "logits")) {
            float[] logits = runner.run(test, 0, test.count());
            for (int i = 0; i < test.count(); i++) {
                right.set(i, Logits.rank(logits, i * 10, 10, test.label(i)) == 0);
            }
        }
        return right;
    }

    /** The test split of the dataset in {@code folder}, in memory. */
    static LabeledImages testSplit(Path folder) throws Exception {
        return LabeledImages.of(io.prunestream.datasets.DatasetFormats.open(io.prunestream.datasets.DatasetSpec.of(
                "test", folder)).test());
    }

    /** The evaluator's count of successful evaluations so far (other test classes share the application). */
    private static double successes() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String line = "evaluator_evaluations_total{outcome=\"success\"} ";
        return metrics.lines().filter(l -> l.startsWith(line)).mapToDouble(l -> Double.parseDouble(l.substring(
                line.length()))).findFirst().orElse(0);
    }
}
