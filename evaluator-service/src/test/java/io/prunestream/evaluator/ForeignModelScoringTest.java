package io.prunestream.evaluator;

import static io.prunestream.evaluator.PipelineTopics.deadLetters;
import static io.prunestream.evaluator.PipelineTopics.evaluations;
import static io.prunestream.evaluator.PipelineTopics.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.ModelInput;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.events.Calibration;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.InputFeed;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.ThresholdScope;
import io.prunestream.events.TrainingMethod;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.pruning.LayerResult;
import io.prunestream.pruning.LayerThreshold;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.Pruner;
import io.prunestream.pruning.ZeroRecovery;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.FilterLayout;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.PrunableKernel;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelWriter;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.calibration.BatchNormCalibration;
import io.prunestream.tensorflow.calibration.CalibrationData;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Models this project did not write — Keras TF2 SavedModels, a channels-first exporter, flattened and raw-pixel
 * inputs — scored through the real broker and DJL, dense and pruned, each top-1 equal to an independent forward pass
 * over the weights the SavedModel holds; models of two datasets scored side by side; bad declarations dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(ScoredModelsResource.class)
class ForeignModelScoringTest {

    private static final String RUN = "foreign-run";
    private final EventCodec codec = new EventCodec();

    @ConfigProperty(name = "evaluator.model-store")
    Path storeRoot;

    @ConfigProperty(name = "evaluator.datasets.synthetic.dir")
    Path dataDir;

    @Test
    void everyKindIsScoredDenseAndPrunedAsAnIndependentForwardPassSays() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        LabeledImages test = testSplit(dataDir);
        Map<String, Double> expected = new LinkedHashMap<>();
        Map<String, ForeignModel.Kind> kinds = new HashMap<>();
        for (ForeignModel.Kind kind : ForeignModel.Kind.fixtures()) {
            Path dense = store.checkpointDir(ScoredModelsResource.FOREIGN, kind.label());
            String checkpointId = RUN + "-" + kind.label();
            CheckpointEvent checkpoint = checkpoint(checkpointId, dense, kind, "synthetic", signature(kind),
                    declared(kind));
            Path variant = store.variantDir(RUN, checkpointId + "-half");
            pruneHalf(dense, variant);
            send(checkpoint);
            send(VariantEvent.builder().runId(RUN).checkpointId(checkpointId).variantId(checkpointId + "-half")
                    .modelUri(uri(variant)).modelDigest(ModelDigest.of(variant)).method(PruningMethod.THRESHOLD)
                    .targetSparsity(0.5).achievedSparsity(0.5).thresholdScope(ThresholdScope.LAYER)
                    .recoveryScope(RecoveryScope.NONE).layers(List.of()).denseBytes(0).storageBytes(0)
                    .dataset("synthetic").epoch(0).signature(signature(kind)).preprocessing(declared(kind)).build());
            expected.put(checkpointId, independentTop1(kind, dense, test));
            expected.put(checkpointId + "-half", independentTop1(kind, variant, test));
            kinds.put(checkpointId, kind);
            kinds.put(checkpointId + "-half", kind);
        }

        List<EvaluationEvent> scores = evaluations(RUN, expected.size());
        assertThat(scores).extracting(EvaluationEvent::variantId).containsExactlyInAnyOrderElementsOf(
                expected.keySet());
        for (EvaluationEvent score : scores) {
            ForeignModel.Kind kind = kinds.get(score.variantId());
            assertThat(score.top1()).as(score.variantId()).isEqualTo(expected.get(score.variantId()));
            // Trained here on several threads, which is not bit-reproducible: the half-zeroed MLP was seen at 0.79.
            assertThat(score.top1()).as("%s: a trained model, and half its weights zeroed", score.variantId())
                    .isGreaterThan(0.7);
            assertThat(score.input()).as(score.variantId())
                    .isEqualTo(new InputFeed(kind.inputShape(), declared(kind)));
        }
    }

    @Test
    void theDeclaredPreprocessingAndLayoutDecide() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path raw = store.checkpointDir(ScoredModelsResource.FOREIGN, ForeignModel.Kind.KERAS_MLP_RAW.label());
        Path nchw = store.checkpointDir(ScoredModelsResource.FOREIGN, ForeignModel.Kind.OIHW_EXPORT.label());
        String run = "declared-run";
        send(checkpoint(run, "raw-undeclared", raw, ForeignModel.Kind.KERAS_MLP_RAW, "synthetic",
                signature(ForeignModel.Kind.KERAS_MLP_RAW), null));
        send(checkpoint(run, "raw-declared", raw, ForeignModel.Kind.KERAS_MLP_RAW, "synthetic",
                signature(ForeignModel.Kind.KERAS_MLP_RAW), new Preprocessing(1.0, null, null, null)));
        // An input of unknown dimensions fits both layouts: the declared one decides.
        ServingSignature anyShape = new ServingSignature("serving_default", "input", List.of(-1L, -1L, -1L, -1L),
                List.of("output_0"));
        send(checkpoint(run, "nchw-declared", nchw, ForeignModel.Kind.OIHW_EXPORT, "synthetic", anyShape,
                new Preprocessing(null, null, null, "NCHW")));

        Map<String, EvaluationEvent> scores = new HashMap<>();
        evaluations(run, 3).forEach(score -> scores.put(score.variantId(), score));
        LabeledImages test = testSplit(dataDir);
        // Fed x/255, a model trained on 0..255 sees images 255 times too dark: its logits shrink towards uniform
        // (these generated images are so easy that the ranking survives; on Fashion-MNIST top-1 collapses too).
        assertThat(scores.get("raw-undeclared").input().preprocessing().scale()).isEqualTo(1.0 / 255);
        assertThat(scores.get("raw-undeclared").loss()).isGreaterThan(1.0);
        assertThat(scores.get("raw-declared").loss()).isLessThan(0.1);
        assertThat(scores.get("raw-declared").top1()).isEqualTo(independentTop1(ForeignModel.Kind.KERAS_MLP_RAW, raw,
                test)).isGreaterThan(0.8);
        assertThat(scores.get("nchw-declared").input().shape()).containsExactly(-1L, 1L, 28L, 28L);
        assertThat(scores.get("nchw-declared").top1()).isEqualTo(independentTop1(ForeignModel.Kind.OIHW_EXPORT,
                nchw, test));
    }

    @Test
    void oneEvaluatorScoresModelsOfTwoDatasetsSideBySide() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        ForeignModel.Kind kind = ForeignModel.Kind.KERAS_MLP_FLAT;
        Path onShifted = store.checkpointDir(ScoredModelsResource.FOREIGN, ScoredModelsResource.SHIFTED_MODEL);
        Path onSynthetic = store.checkpointDir(ScoredModelsResource.FOREIGN, kind.label());
        String run = "two-datasets";
        send(checkpoint(run, "shifted-on-shifted", onShifted, kind, "shifted", signature(kind), null));
        send(checkpoint(run, "synthetic-on-synthetic", onSynthetic, kind, "synthetic", signature(kind), null));
        send(checkpoint(run, "shifted-on-synthetic", onShifted, kind, "synthetic", signature(kind), null));

        Map<String, EvaluationEvent> scores = new HashMap<>();
        evaluations(run, 3).forEach(score -> scores.put(score.variantId(), score));
        assertThat(scores.get("shifted-on-shifted").top1()).isGreaterThan(0.9);
        assertThat(scores.get("shifted-on-shifted").dataset()).isEqualTo("shifted");
        assertThat(scores.get("synthetic-on-synthetic").top1()).isGreaterThan(0.9);
        assertThat(scores.get("shifted-on-synthetic").top1()).as("the wrong dataset's labels").isLessThan(0.2);
    }

    @Test
    void aCalibratedVariantIsScoredAsACurveOfItsOwn() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        ForeignModel.Kind kind = ForeignModel.Kind.KERAS_CNN_BN;
        Path dense = store.checkpointDir(ScoredModelsResource.FOREIGN, kind.label());
        String run = "calibrated-run";
        Path pruned = store.variantDir(run, "half-uncalibrated");
        pruneHalf(dense, pruned);
        LabeledImages train = SyntheticImages.generate(320, 28, 1);
        BatchNormCalibration.Outcome outcome = BatchNormCalibration.calibrate(pruned, CalibrationData.of(
                "serving_default", kind.inputName(), ModelInput.resolve(kind.inputShape(), train.shape(),
                        Preprocessing.DEFAULT), train, 256));
        Path calibrated = store.variantDir(run, "half-cbn256");
        SavedModelWriter.write(SavedModelReader.read(pruned), calibrated, outcome.statistics());
        Calibration applied = new Calibration(Calibration.BATCH_NORM, 256, outcome.batchNorms(), outcome.millis());
        send(checkpoint(run, "c", dense, kind, "synthetic", signature(kind), null));
        send(VariantEvent.builder().runId(run).checkpointId("c").variantId("half-cbn256").modelUri(uri(calibrated))
                .modelDigest(ModelDigest.of(calibrated)).method(PruningMethod.THRESHOLD).targetSparsity(0.5)
                .achievedSparsity(0.5).thresholdScope(ThresholdScope.LAYER).recoveryScope(RecoveryScope.NONE)
                .layers(List.of()).denseBytes(0).storageBytes(0).dataset("synthetic").epoch(0)
                .signature(signature(kind)).calibration(applied).build());

        EvaluationEvent score = evaluations(run, 2).stream().filter(e -> e.method() == PruningMethod.THRESHOLD)
                .findFirst().orElseThrow();
        assertThat(score.calibration()).isEqualTo(applied);
        assertThat(score.top1()).isEqualTo(independentTop1(kind, calibrated, testSplit(dataDir)));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("evaluator_top1{finetune=\"0\",method=\"threshold+bn\",recovery=\"none\","
                + "run=\"calibrated-run\",sparsity=\"0.50\"}");
    }

    @Test
    void anUnknownDatasetAndBadPreprocessingAreDeadLetteredByName() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        ForeignModel.Kind kind = ForeignModel.Kind.KERAS_CNN;
        Path model = store.checkpointDir(ScoredModelsResource.FOREIGN, kind.label());
        String run = "bad-foreign";
        send(checkpoint(run, "unknown-dataset", model, kind, "cifar10", signature(kind), null));
        send(checkpoint(run, "three-means", model, kind, "synthetic", signature(kind),
                new Preprocessing(null, List.of(0.1, 0.2, 0.3), null, null)));

        assertThat(deadLetters(run, 2)).containsExactly(
                "unknown-dataset: dataset 'cifar10' is not in this deployment's catalogue (it has digits, eleven,"
                        + " fashion-mnist, grey, scenes-cifar, scenes-npz, scenes-png, scenes-tfrecord, shifted,"
                        + " synthetic)",
                "invalid-preprocessing: input 'conv2d_input': preprocessing.mean: 3 values, but the model takes 1"
                        + " channel (give 1 value)");
    }

    /** Half of each kernel zeroed, the smallest magnitudes first. */
    private static void pruneHalf(Path dense, Path target) throws Exception {
        ModelWeights weights = SavedModelReader.read(dense);
        List<LayerWeights> layers = new ArrayList<>();
        for (PrunableKernel kernel : weights.model().prunableKernels()) {
            WeightTensor tensor = weights.get(kernel.key());
            long[] shape = tensor.spec().shape().stream().mapToLong(Long::longValue).toArray();
            FilterLayout layout = kernel.filterLayout(shape);
            layers.add(new LayerWeights(kernel.key(), tensor.values(), shape, layout.filters(), layout.stride()));
        }
        Map<String, float[]> replacements = new HashMap<>();
        for (LayerResult layer : new Pruner(new LayerThreshold(), new ZeroRecovery()).prune(layers, 0.5).layers()) {
            replacements.put(layer.name(), layer.values());
        }
        SavedModelWriter.write(weights, target, replacements);
    }

    /** Top-1 of a plain-graph forward pass over the weights the SavedModel holds: no DJL, no SavedModel graph. */
    private static double independentTop1(ForeignModel.Kind kind, Path model, LabeledImages test) throws Exception {
        Map<String, float[]> weights = new HashMap<>();
        for (WeightTensor tensor : SavedModelReader.read(model).tensors()) {
            if (tensor.isFloat()) {
                weights.put(tensor.key(), tensor.values());
            }
        }
        return ForeignModels.top1(ForeignModels.referenceLogits(kind, weights, test), test);
    }

    private static Preprocessing declared(ForeignModel.Kind kind) {
        return new Preprocessing(kind.scale(), null, null, kind.layout());
    }

    private static ServingSignature signature(ForeignModel.Kind kind) {
        return new ServingSignature("serving_default", kind.inputName(), kind.inputShape(),
                List.of(kind.outputName()));
    }

    private static CheckpointEvent checkpoint(String checkpointId, Path model, ForeignModel.Kind kind, String dataset,
            ServingSignature signature, Preprocessing preprocessing) throws Exception {
        return checkpoint(RUN, checkpointId, model, kind, dataset, signature, preprocessing);
    }

    private static CheckpointEvent checkpoint(String run, String checkpointId, Path model, ForeignModel.Kind kind,
            String dataset, ServingSignature signature, Preprocessing preprocessing) throws Exception {
        return CheckpointEvent.create(run, checkpointId, uri(model), ModelDigest.of(model), "external", dataset, 0, 0,
                Map.of(), new TrainingMethod("external", 0, Map.of()), signature).withPreprocessing(preprocessing);
    }

    private static String uri(Path model) {
        return model.toUri().toString().replaceAll("/$", "");
    }

    /** The test split of the dataset in {@code folder}, in memory. */
    static LabeledImages testSplit(Path folder) throws Exception {
        return LabeledImages.of(io.prunestream.datasets.DatasetFormats.open(io.prunestream.datasets.DatasetSpec.of(
                "test", folder)).test());
    }
}
