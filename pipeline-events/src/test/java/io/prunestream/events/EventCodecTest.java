package io.prunestream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper json = new ObjectMapper();

    static Stream<PipelineEvent> samples() {
        return SampleEvents.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyEventTypeRoundTrips(PipelineEvent event) throws Exception {
        byte[] bytes = codec.encode(event);

        assertThat(codec.decode(bytes, event.getClass())).isEqualTo(event);
        assertThat(codec.decode(bytes)).isEqualTo(event);
    }

    @Test
    void writesTheWireNamesOfEnumsAndIsoInstants() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(SampleEvents.variant()));

        assertThat(tree.get("eventType").asText()).isEqualTo("variant");
        assertThat(tree.get("method").asText()).isEqualTo("threshold+mean");
        assertThat(tree.get("recoveryScope").asText()).isEqualTo("filter");
        assertThat(tree.get("occurredAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(tree.get("schemaVersion").asInt()).isEqualTo(1);
    }

    @Test
    void ignoresUnknownFieldsSoProducersMayAddSome() throws Exception {
        ObjectNode tree = tree(SampleEvents.checkpoint());
        tree.put("comment", "from a notebook");

        assertThat(codec.decode(bytes(tree), CheckpointEvent.class)).isEqualTo(SampleEvents.checkpoint());
    }

    @Test
    void aMissingFieldIsNamed() {
        ObjectNode tree = tree(SampleEvents.checkpoint());
        tree.remove("modelDigest");

        assertInvalid(tree, CheckpointEvent.class, "modelDigest: is required");
    }

    @Test
    void aMissingNestedFieldIsNamedWithItsPath() {
        ObjectNode tree = tree(SampleEvents.checkpoint());
        ((ObjectNode) tree.get("signature")).remove("inputShape");

        assertInvalid(tree, CheckpointEvent.class, "signature.inputShape: is required");
    }

    @Test
    void aWrongTypeIsNamed() {
        ObjectNode tree = tree(SampleEvents.checkpoint());
        tree.put("epoch", "three");

        assertInvalid(tree, CheckpointEvent.class, "epoch: ");
    }

    @Test
    void aWrongTypeInsideAnArrayIsNamedWithItsIndex() {
        ObjectNode tree = tree(SampleEvents.variant());
        ((ObjectNode) tree.get("layers").get(1)).put("pruned", -5);

        assertInvalid(tree, VariantEvent.class, "layers[1].pruned: ");
    }

    @Test
    void anUnknownSchemaVersionIsNamed() {
        ObjectNode tree = tree(SampleEvents.evaluation());
        tree.put("schemaVersion", 2);

        assertInvalid(tree, EvaluationEvent.class, "schemaVersion: unsupported value 2");
    }

    @Test
    void aMissingSchemaVersionIsNamed() {
        ObjectNode tree = tree(SampleEvents.evaluation());
        tree.remove("schemaVersion");

        assertInvalid(tree, EvaluationEvent.class, "schemaVersion: is required");
    }

    @Test
    void anEventOfAnotherTypeIsRefusedByName() {
        assertThatThrownBy(() -> codec.decode(codec.encode(SampleEvents.variant()), CheckpointEvent.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("eventType: expected 'checkpoint' but was 'variant'");
    }

    @Test
    void anOutOfRangeValueIsNamed() {
        ObjectNode tree = tree(SampleEvents.variant());
        tree.put("targetSparsity", 1.5);

        assertInvalid(tree, VariantEvent.class, "targetSparsity: ");
    }

    @Test
    void aBadEnumValueIsNamed() {
        ObjectNode tree = tree(SampleEvents.variant());
        tree.put("method", "magic");

        assertInvalid(tree, VariantEvent.class, "method: ");
    }

    @Test
    void aBadNetworkIsNamedAndNoNetworkIsFine() throws Exception {
        ObjectNode tree = tree(SampleEvents.checkpoint());
        ((ObjectNode) tree.get("network")).put("classifier", "sigmoid");
        assertInvalid(tree, CheckpointEvent.class, "network.classifier: ");

        ObjectNode depth = tree(SampleEvents.checkpoint());
        ((ObjectNode) depth.get("network")).put("depth", 21);
        assertInvalid(depth, CheckpointEvent.class, "network.depth: 21 is not 6n+2");

        ObjectNode none = tree(SampleEvents.checkpoint());
        none.remove("network");
        assertThat(new EventCodec().decode(none.toString(), CheckpointEvent.class).network()).isNull();
        none.putNull("network");
        assertThat(new EventCodec().decode(none.toString(), CheckpointEvent.class).network()).isNull();
    }

    @Test
    void aBadBottleneckRequestIsNamedAndItsFieldsAreOptional() throws Exception {
        ObjectNode target = tree(SampleEvents.checkpoint());
        ((ObjectNode) target.get("bottleneck")).putArray("flopsTargets").add(0.5).add(1.2);
        assertInvalid(target, CheckpointEvent.class, "bottleneck.flopsTargets");

        ObjectNode twice = tree(SampleEvents.checkpoint());
        ((ObjectNode) twice.get("bottleneck")).putArray("flopsTargets").add(0.5).add(0.5);
        assertInvalid(twice, CheckpointEvent.class, "bottleneck.flopsTargets");

        ObjectNode batches = tree(SampleEvents.checkpoint());
        ((ObjectNode) batches.get("bottleneck")).put("batches", 0);
        assertInvalid(batches, CheckpointEvent.class, "bottleneck.batches");

        ObjectNode empty = tree(SampleEvents.checkpoint());
        empty.putObject("bottleneck");
        assertThat(new EventCodec().decode(empty.toString(), CheckpointEvent.class).bottleneck())
                .isEqualTo(new BottleneckRequest(null, null, null, null, null));
    }

    @Test
    void badPreprocessingIsNamedByFieldAndItsFieldsAreOptional() throws Exception {
        ObjectNode zero = tree(SampleEvents.checkpoint());
        ((ObjectNode) zero.get("preprocessing")).put("scale", 0);
        assertInvalid(zero, CheckpointEvent.class, "preprocessing.scale");

        ObjectNode std = tree(SampleEvents.checkpoint());
        ((ObjectNode) std.get("preprocessing")).putArray("std").add(0.3).add(-1);
        assertInvalid(std, CheckpointEvent.class, "preprocessing.std[1]");

        ObjectNode layout = tree(SampleEvents.checkpoint());
        ((ObjectNode) layout.get("preprocessing")).put("layout", "CHW");
        assertInvalid(layout, CheckpointEvent.class, "preprocessing.layout");

        ObjectNode typo = tree(SampleEvents.checkpoint());
        ((ObjectNode) typo.get("preprocessing")).put("scal", 1);
        assertThatThrownBy(() -> codec.decode(bytes(typo), CheckpointEvent.class))
                .hasMessageContaining("preprocessing: property 'scal' is not defined");

        ObjectNode empty = tree(SampleEvents.checkpoint());
        empty.putObject("preprocessing");
        assertThat(codec.decode(bytes(empty), CheckpointEvent.class).preprocessing())
                .isEqualTo(Preprocessing.DEFAULT)
                .isEqualTo(new Preprocessing(1.0 / 255, java.util.List.of(0.0), java.util.List.of(1.0), "NHWC"));

        ObjectNode absent = tree(SampleEvents.checkpoint());
        absent.remove("preprocessing");
        CheckpointEvent old = codec.decode(bytes(absent), CheckpointEvent.class);
        assertThat(old.preprocessing()).as("events from before the field stay valid").isNull();
        assertThat(old.preprocessingOrDefault()).isEqualTo(Preprocessing.DEFAULT);
    }

    @Test
    void preprocessingReadsFromQueryText() {
        assertThat(Preprocessing.parse("1/255", "0.5, 0.25", "2", "nchw"))
                .isEqualTo(new Preprocessing(1.0 / 255, java.util.List.of(0.5, 0.25), java.util.List.of(2.0), "NCHW"));
        assertThat(Preprocessing.parse(null, null, null, null)).isEqualTo(Preprocessing.DEFAULT);
        assertThatThrownBy(() -> Preprocessing.parse("one", null, null, null))
                .hasMessage("preprocessing.scale: 'one' is not a number");
        assertThatThrownBy(() -> Preprocessing.parse(null, "0.1,,0.2", null, null))
                .hasMessage("preprocessing.mean: '' is not a number");
    }

    @Test
    void onlyABottleneckVariantCarriesGates() {
        ObjectNode tree = tree(SampleEvents.structuredVariant());
        tree.set("gates", tree(SampleEvents.bottleneckVariant()).get("gates"));

        assertInvalid(tree, VariantEvent.class, "gates: method 'filter-l1' trains no gates");
    }

    @Test
    void aStoppingThatDoesNotFitTheImagesScoredIsNamed() {
        ObjectNode exhausted = tree(SampleEvents.sequentialEvaluation());
        ((ObjectNode) exhausted.get("stopping")).put("reason", "exhausted");
        assertInvalid(exhausted, EvaluationEvent.class, "stopping: exhausted after 4608 images of a split of 10000");

        ObjectNode dense = tree(SampleEvents.evaluation());
        dense.set("stopping", tree(SampleEvents.sequentialEvaluation()).get("stopping"));
        assertInvalid(dense, EvaluationEvent.class, "stopping: a dense model is scored on the whole split");

        ObjectNode reason = tree(SampleEvents.sequentialEvaluation());
        ((ObjectNode) reason.get("stopping")).put("reason", "bored");
        assertInvalid(reason, EvaluationEvent.class, "stopping.reason");
    }

    @Test
    void aBadTimestampIsNamed() {
        ObjectNode tree = tree(SampleEvents.checkpoint());
        tree.put("occurredAt", "yesterday");

        assertInvalid(tree, CheckpointEvent.class, "occurredAt: ");
    }

    @Test
    void aRuleTheSchemaCannotExpressIsStillNamed() {
        ObjectNode tree = tree(SampleEvents.variant());
        tree.put("recoveryScope", "none");

        assertInvalid(tree, VariantEvent.class, "recoveryScope: 'none' does not fit method 'threshold+mean'");
    }

    @Test
    void malformedJsonIsReported() {
        assertThatThrownBy(() -> codec.decode("{\"eventType\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("$: malformed JSON");
    }

    @Test
    void aJsonValueThatIsNoObjectIsReported() {
        assertThatThrownBy(() -> codec.decode("[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("$: expected a JSON object but found array");
    }

    @Test
    void anEmptyRecordIsReported() {
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("$: empty record");
    }

    @Test
    void anOversizedRecordIsRefusedBeforeParsing() {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];

        assertThatThrownBy(() -> codec.decode(tenMegabytes))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("10485760 bytes exceeds the limit");
    }

    @Test
    void everyProblemOfOneRecordIsReported() {
        ObjectNode tree = tree(SampleEvents.checkpoint());
        tree.remove("runId");
        tree.put("step", -1);

        assertThatThrownBy(() -> codec.decode(bytes(tree), CheckpointEvent.class))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("runId: is required"))
                        .anySatisfy(p -> assertThat(p).startsWith("step: ")));
    }

    @Test
    void recordsRefuseBadValuesWhenBuiltInCodeToo() {
        assertThatThrownBy(() -> new LayerReport("conv1/kernel", 10, 11, 0.1, null))
                .hasMessageContaining("layers[conv1/kernel].pruned: 11 exceeds parameters 10");
        assertThatThrownBy(() -> new ServingSignature("serving_default", "image", java.util.List.of(), java.util.List.of("x")))
                .hasMessage("signature.inputShape: must not be empty");
    }

    private void assertInvalid(ObjectNode tree, Class<? extends PipelineEvent> type, String messageStart) {
        assertThatThrownBy(() -> codec.decode(bytes(tree), type))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(messageStart);
    }

    private ObjectNode tree(PipelineEvent event) {
        try {
            return (ObjectNode) json.readTree(codec.encode(event));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private byte[] bytes(ObjectNode tree) {
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }
}
