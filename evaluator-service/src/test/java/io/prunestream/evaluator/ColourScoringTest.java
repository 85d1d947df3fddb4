package io.prunestream.evaluator;

import static io.prunestream.evaluator.PipelineTopics.deadLetters;
import static io.prunestream.evaluator.PipelineTopics.evaluations;
import static io.prunestream.evaluator.PipelineTopics.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.EventCodec;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.ThresholdScope;
import io.prunestream.events.TrainingMethod;
import io.prunestream.events.VariantEvent;
import io.prunestream.kafka.KafkaTestResource;
import io.prunestream.store.ModelDigest;
import io.prunestream.store.ModelStore;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Users' own data through the real broker and DJL: the same colour test images in four formats score the same model
 * identically; a grey dataset feeds a colour model only with a declared conversion; a model with another number of
 * classes than the dataset is dead-lettered by name; a variant of an early TF 2.x checkpoint loads and scores.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(ColourDataResource.class)
class ColourScoringTest {

    private static final ServingSignature COLOUR = new ServingSignature("serving_default", "image",
            List.of(-1L, 32L, 32L, 3L), List.of("logits", "probabilities"));
    private final EventCodec codec = new EventCodec();

    @ConfigProperty(name = "evaluator.model-store")
    Path storeRoot;

    @Test
    void theSameImagesInEveryFormatScoreTheSame() throws Exception {
        Path model = new ModelStore(storeRoot).checkpointDir(ColourDataResource.RUN, ColourDataResource.COLOUR_MODEL);
        String run = "formats";
        for (String format : ColourDataResource.FORMATS) {
            send(checkpoint(run, "scenes-" + format, model, "scenes-" + format, COLOUR, null));
        }
        List<EvaluationEvent> scores = evaluations(run, ColourDataResource.FORMATS.size());
        assertThat(scores).extracting(EvaluationEvent::samples).containsOnly(200L);
        assertThat(scores.get(0).top1()).as("the colour model learned the scenes").isGreaterThan(0.5);
        assertThat(scores).extracting(EvaluationEvent::top1).containsOnly(scores.get(0).top1());
        assertThat(scores).extracting(EvaluationEvent::loss).allSatisfy(loss -> assertThat(loss)
                .isCloseTo(scores.get(0).loss(), org.assertj.core.data.Offset.offset(1e-5)));
        assertThat(scores.get(0).input().shape()).containsExactly(-1L, 32L, 32L, 3L);
        given().get("/datasets").then().statusCode(200).body("name", hasItems("scenes-png", "scenes-tfrecord",
                "scenes-cifar", "scenes-npz")).body("find { it.name == 'scenes-tfrecord' }.format",
                org.hamcrest.Matchers.equalTo("tfrecord"))
                .body("find { it.name == 'scenes-png' }.splits.test.shape",
                        org.hamcrest.Matchers.equalTo("[32, 32, 3]"));
    }

    @Test
    void greyImagesFeedAColourModelOnlyWithADeclaredConversion() throws Exception {
        Path model = new ModelStore(storeRoot).checkpointDir(ColourDataResource.RUN, ColourDataResource.COLOUR_MODEL);
        String run = "grey";
        send(checkpoint(run, "undeclared", model, "grey", COLOUR, null));
        send(checkpoint(run, "declared", model, "grey", COLOUR, new Preprocessing(null, null, null, null, null,
                "rgb", null, null, null)));

        assertThat(deadLetters(run, 1)).containsExactly("input-shape-mismatch: input 'image': grey images"
                + " [32, 32, 1] for input [-1, 32, 32, 3] (3 channels): declare preprocessing.channels ('rgb' or"
                + " 'bgr') to convert them");
        EvaluationEvent declared = evaluations(run, 1).get(0);
        assertThat(declared.samples()).isEqualTo(200L);
        assertThat(declared.input().preprocessing().channels()).isEqualTo("rgb");
    }

    @Test
    void aModelOfAnotherClassCountIsDeadLetteredNamingBoth() throws Exception {
        Path model = new ModelStore(storeRoot).checkpointDir(ColourDataResource.RUN, ColourDataResource.COLOUR_MODEL);
        String run = "eleven";
        send(checkpoint(run, "eleven", model, "eleven", COLOUR, null));

        assertThat(deadLetters(run, 1).get(0)).startsWith("output-mismatch: output 'logits'").contains(
                "it gives 10 scores per image, but the dataset has 11 classes");
    }

    @Test
    void aVariantOfAnEarlyTf2CheckpointLoadsAndScores() throws Exception {
        ModelStore store = new ModelStore(storeRoot);
        Path variant = store.variantDir(ColourDataResource.RUN, ColourDataResource.EARLY_VARIANT);
        ForeignModel.Kind kind = ForeignModel.Kind.KERAS_CNN_BN;
        String run = "early";
        ServingSignature signature = new ServingSignature("serving_default", kind.inputName(), kind.inputShape(),
                List.of(kind.outputName()));
        // Its dense model first: a variant is compared with it.
        send(checkpoint(run, "c", store.checkpointDir(ColourDataResource.RUN, ColourDataResource.EARLY), "digits",
                signature, null));
        send(VariantEvent.builder().runId(run).checkpointId("c").variantId("early-zeroed")
                .modelUri(variant.toUri().toString().replaceAll("/$", "")).modelDigest(ModelDigest.of(variant))
                .method(PruningMethod.THRESHOLD).targetSparsity(0.5).achievedSparsity(0.5)
                .thresholdScope(ThresholdScope.LAYER).recoveryScope(RecoveryScope.NONE).layers(List.of())
                .denseBytes(0).storageBytes(0).dataset("digits").epoch(0).signature(signature).build());

        EvaluationEvent score = evaluations(run, 2).stream().filter(e -> e.method() == PruningMethod.THRESHOLD)
                .findFirst().orElseThrow();
        assertThat(score.samples()).as("scored a batch of 64 at a time, until its rule or the split said stop")
                .isBetween(64L, 200L);
        assertThat(score.stopping().splitImages()).isEqualTo(200L);
        assertThat(score.device()).isNotBlank();
    }

    private static CheckpointEvent checkpoint(String run, String checkpointId, Path model, String dataset,
            ServingSignature signature, Preprocessing preprocessing) throws Exception {
        return CheckpointEvent.create(run, checkpointId, model.toUri().toString().replaceAll("/$", ""),
                ModelDigest.of(model), "small-cnn", dataset, 0, 0, Map.of(), new TrainingMethod("external", 0,
                        Map.of()), signature).withPreprocessing(preprocessing);
    }
}
