package io.prunestream.pruner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.LayerReport;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.Topics;
import io.prunestream.events.TrainingMethod;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestClients;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.IndependentPruning;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Models this project did not write, through the real broker and pruner: every kind (Keras TF2 with and without
 * batch norm, flattened and raw-pixel input, a channels-first exporter with transposed reads, depthwise/einsum/batch
 * matmul) gets its 8 variants, each kernel pruned exactly as the rule written out independently says, every other
 * tensor carried over, and each variant's top-1 in a plain TensorFlow session equal to an independent forward pass;
 * what came of an upload can be fetched back over HTTP.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(TrainedModelResource.class)
class ForeignCheckpointTest {

    private static final LabeledImages TEST = SyntheticImages.generate(200, 28, 2);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "pruner.model-store")
    Path storeRoot;

    @Test
    void everyKindGetsItsEightVariantsPrunedByTheRuleAndBatchNormModelsEightCalibratedOnesToo() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        for (ForeignModel.Kind kind : ForeignModel.Kind.fixtures()) {
            Path dense = store.checkpointDir(TrainedModelResource.FOREIGN, kind.label());
            KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "foreign-" + kind.label(),
                    Checkpoints.CODEC.encode(Checkpoints.foreign("foreign-" + kind.label(), kind.label(), dense,
                            "synthetic", kind)));
        }
        for (ForeignModel.Kind kind : ForeignModel.Kind.fixtures()) {
            Path dense = store.checkpointDir(TrainedModelResource.FOREIGN, kind.label());
            ModelWeights weights = SavedModelReader.read(dense);
            List<String> kernels = weights.model().prunableKernels().stream().map(k -> k.key()).toList();
            List<long[]> filters = IndependentPruning.filters(kind);
            // A model with batch norm gets each variant once more, its statistics re-estimated.
            boolean batchNorm = kind == ForeignModel.Kind.KERAS_CNN_BN;
            List<VariantEvent> variants = variants("foreign-" + kind.label(), batchNorm ? 16 : 8);
            assertThat(variants).extracting(VariantEvent::method).containsOnly(PruningMethod.THRESHOLD,
                    PruningMethod.THRESHOLD_MEAN);
            assertThat(variants).extracting(VariantEvent::targetSparsity).containsOnly(0.3, 0.5, 0.7, 0.9);
            assertThat(variants.stream().filter(v -> v.calibration() != null).count()).isEqualTo(batchNorm ? 8 : 0);
            for (VariantEvent variant : variants) {
                String what = kind + " " + variant.variantId();
                assertThat(variant.preprocessing()).as(what).isEqualTo(Checkpoints.declared(kind));
                assertThat(variant.layers()).extracting(LayerReport::name).as(what).containsExactlyElementsOf(kernels);
                ModelWeights pruned = SavedModelReader.read(store.resolve(variant.modelUri()));
                Map<String, float[]> expected = new HashMap<>();
                for (WeightTensor tensor : weights.tensors()) {
                    if (!tensor.isFloat()) {
                        continue;
                    }
                    float[] now = pruned.get(tensor.key()).values();
                    if (variant.calibration() != null && tensor.key().contains("/moving_")) {
                        // Re-estimated (BatchNormCalibrationTest checks the values); the reference uses them too.
                        assertThat(IndependentPruning.firstDifference(now, tensor.values())).as(what).isNotEqualTo(-1);
                        expected.put(tensor.key(), now);
                        continue;
                    }
                    int k = kernels.indexOf(tensor.key());
                    float[] values = k < 0 ? tensor.values() : IndependentPruning.prune(tensor.values(),
                            variant.targetSparsity(), variant.method() == PruningMethod.THRESHOLD_MEAN,
                            filters.get(k));
                    assertThat(IndependentPruning.firstDifference(now, values))
                            .as("%s %s: first value that differs", what, tensor.key()).isEqualTo(-1);
                    expected.put(tensor.key(), values);
                }
                assertThat(pruned.model().checkpointDtypes()).as("every tensor carried over, slots included")
                        .isEqualTo(weights.model().checkpointDtypes());
                assertThat(ForeignModels.savedModelTop1(kind, store.resolve(variant.modelUri()), TEST)).as(what)
                        .isEqualTo(ForeignModels.top1(ForeignModels.referenceLogits(kind, expected, TEST), TEST));
            }
            if (batchNorm) {
                VariantEvent calibrated = variants.stream().filter(v -> v.calibration() != null).findFirst()
                        .orElseThrow();
                assertThat(calibrated.calibration().images()).isEqualTo(256);
                assertThat(calibrated.calibration().batchNorms()).isEqualTo(2);
                assertThat(calibrated.variantId()).endsWith("-cbn256");
            }
        }
    }

    @Test
    void anUploadIsPrunedAndItsVariantsCanBeFetchedBack() throws Exception {
        ForeignModel.Kind kind = ForeignModel.Kind.OIHW_EXPORT;
        Path dense = new ModelStore(storeRoot).checkpointDir(TrainedModelResource.FOREIGN, kind.label());
        given().contentType("application/gzip").body(Archives.tarGz(dense, "exported/"))
                .queryParam("runId", "fetched").queryParam("checkpointId", "fetched-1")
                .queryParam("dataset", "synthetic").queryParam("scale", "1/255").queryParam("layout", "nchw")
                .when().post("/checkpoints")
                .then().statusCode(202).body("variants", hasSize(8))
                .body("checkpoint.preprocessing.layout", equalTo("NCHW"))
                .body("checkpoint.signature.inputShape", equalTo(List.of(-1, 1, 28, 28)));
        List<VariantEvent> variants = variants("fetched", 8);
        VariantEvent half = variants.stream().filter(v -> v.variantId().equals("fetched-1-tm-layer-filter-s5000"))
                .findFirst().orElseThrow();

        VariantEvent fetched = Checkpoints.CODEC.decode(given().get("/variants/" + half.variantId()).then()
                .statusCode(200).extract().asByteArray(), VariantEvent.class);
        assertThat(fetched).isEqualTo(half);
        byte[] archive = given().get("/variants/" + half.variantId() + "/savedmodel.tar.gz").then()
                .statusCode(200).contentType("application/gzip")
                .header("Content-Disposition", "attachment; filename=\"" + half.variantId() + ".tar.gz\"")
                .extract().asByteArray();
        Path folder = new ModelStore(storeRoot).resolve(half.modelUri());
        assertThat(Archives.files(archive)).containsExactlyEntriesOf(Archives.files(folder, half.variantId() + "/"));
        assertThat(ModelDigest.of(folder)).isEqualTo(half.modelDigest());

        given().get("/variants/no-such-variant").then().statusCode(404)
                .body("error", equalTo("variant 'no-such-variant' does not exist"));
        given().get("/variants/no-such-variant/savedmodel.tar.gz").then().statusCode(404);
        given().get("/variants/..%2F..%2Fetc").then().statusCode(org.hamcrest.Matchers.either(equalTo(400))
                .or(equalTo(404)));
    }

    @Test
    void badDeclarationsAndUnknownDatasetsAreRefusedByName() throws Exception {
        Path dense = new ModelStore(storeRoot).checkpointDir(TrainedModelResource.FOREIGN,
                ForeignModel.Kind.KERAS_CNN.label());
        byte[] archive = Archives.tarGz(dense, "");
        refuse(archive, Map.of("scale", "0"), "preprocessing.scale: 0.0 must be a finite number other than 0");
        refuse(archive, Map.of("std", "0.5,-1"), "preprocessing.std[1]: -1.0 must be a finite positive number");
        refuse(archive, Map.of("layout", "CHW"), "preprocessing.layout: 'CHW' is not NHWC or NCHW");
        refuse(archive, Map.of("mean", "a"), "preprocessing.mean: 'a' is not a number");
        refuse(archive, Map.of("dataset", "cifar10"), "unknown-dataset: dataset 'cifar10' is not in this deployment's catalogue (it"
                + " has fashion-mnist, synthetic)");
        given().contentType("application/json").body("{\"modelPath\": \"checkpoints/foreign/keras-cnn\", \"runId\":"
                + " \"bad\", \"preprocessing\": {\"scale\": 0}}").post("/checkpoints").then().statusCode(400)
                .body("error", equalTo("body: preprocessing.scale: 0.0 must be a finite number other than 0"));
        given().contentType("application/json").body("{\"modelPath\": \"checkpoints/foreign/keras-cnn\", \"runId\":"
                + " \"bad\", \"preprocessing\": {\"scal\": 1}}").post("/checkpoints").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("scal"));
    }

    @Test
    void aModelWithNothingToPruneIsDeadLetteredWithTheOpsItHas() throws Exception {
        Path model = new ModelStore(storeRoot).checkpointDir(TrainedModelResource.FOREIGN,
                TrainedModelResource.NO_KERNELS);
        CheckpointEvent event = CheckpointEvent.create("nothing", "nothing-1", model.toUri().toString()
                .replaceAll("/$", ""), ModelDigest.of(model), "external", "synthetic", 0, 0, Map.of(),
                new TrainingMethod("external", 0, Map.of()), new ServingSignature("serving_default", "x",
                        List.of(-1L, 1L), List.of("y")));
        KafkaTestClients.send(bootstrap, Topics.CHECKPOINTS, "nothing", Checkpoints.CODEC.encode(event));
        ConsumerRecord<String, byte[]> dead = KafkaTestClients.read(bootstrap, Topics.deadLetterTopic(
                Topics.CHECKPOINTS), r -> "nothing".equals(r.key()), 1, Duration.ofSeconds(60)).get(0);
        assertThat(new String(dead.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER).value(),
                StandardCharsets.UTF_8)).startsWith("no-prunable-kernel: the model at ")
                .endsWith("its ops: Add, AssignVariableOp, Const, DisableCopyOnRead, Identity, Mul, NoOp,"
                        + " Placeholder, ReadVariableOp, RestoreV2, SaveV2, StatefulPartitionedCall, VarHandleOp");
    }

    private static void refuse(byte[] archive, Map<String, String> query, String message) {
        var request = given().contentType("application/gzip").body(archive).queryParam("runId", "refused");
        query.forEach(request::queryParam);
        request.when().post("/checkpoints").then().statusCode(400).body("error", equalTo(message));
    }

    private List<VariantEvent> variants(String run, int count) throws Exception {
        return Checkpoints.variants(bootstrap, run, count);
    }
}
