package io.prunestream.tensorflow.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.pruning.LayerWeights;
import io.prunestream.pruning.structured.FilterRanking;
import io.prunestream.tensorflow.ModelWeights;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.SavedModelRunner;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.WeightTensor;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.model.ChannelGroups;
import io.prunestream.tensorflow.training.ImageTensors;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.MethodSpec;
import io.prunestream.tensorflow.training.ModelExport;
import io.prunestream.tensorflow.training.NetworkGraph;
import io.prunestream.tensorflow.training.NetworkSpec;
import io.prunestream.tensorflow.training.OptimizerSpec;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * A physically smaller ResNet computes what the full one computes with the removed filters silenced (their batch
 * norm's gamma and beta at zero, so ReLU passes nothing on): the removal takes the right slices of every tensor.
 */
class FilterRemovalTest {

    private static final NetworkSpec RESNET8 = new NetworkSpec(new ArchitectureSpec("resnet", 8, 4, List.of(16, 16, 1),
            3), false, 0.3f, 0.2f, List.of());

    @TempDir
    Path dir;

    @BeforeAll
    static void natives() throws Exception {
        TensorFlowRuntime.start();
    }

    @Test
    void theSmallerNetworkMatchesTheFullOneWithTheRemovedFiltersSilenced() throws Exception {
        Map<String, float[]> weights = randomWeights(RESNET8);
        ModelWeights source = SavedModelReader.read(export(RESNET8, weights, dir.resolve("full")));
        List<FilterGroup> groups = NetworkStructure.of(RESNET8).filterGroups();
        assertThat(groups).extracting(FilterGroup::filters).containsExactly(4, 8, 16);
        List<int[]> kept = List.of(new int[] {0, 2}, new int[] {1, 2, 3, 6}, new int[] {0, 5, 15});

        FilterRemoval.Smaller removal = FilterRemoval.remove(source, NetworkStructure.of(RESNET8), kept, dir.resolve("smaller"));
        NetworkSpec smaller = removal.network();

        assertThat(smaller.innerWidths()).containsExactly(2, 4, 3);
        // Kernels of resnet8-w4: stem 9*4, inner 9*(4*4 + 4*8 + 8*16), outer 9*(4*4 + 8*8 + 16*16), shortcuts
        // 4*8 + 8*16, classifier 16*3; kept inner widths 2, 4, 3 of 4, 8, 16.
        long dense = 9 * 4 + 9 * (4 * 4 + 4 * 8 + 8 * 16) + 9 * (4 * 4 + 8 * 8 + 16 * 16) + 4 * 8 + 8 * 16 + 16 * 3;
        long kept2 = 9 * 4 + 9 * (4 * 2 + 4 * 4 + 8 * 3) + 9 * (2 * 4 + 4 * 8 + 3 * 16) + 4 * 8 + 8 * 16 + 16 * 3;
        assertThat(removal.denseKernelWeights()).isEqualTo(dense);
        assertThat(removal.keptKernelWeights()).isEqualTo(kept2);
        assertThat(removal.removedShare()).isCloseTo(1 - (double) kept2 / dense, within(1e-12));
        ModelWeights pruned = SavedModelReader.read(dir.resolve("smaller"));
        assertThat(pruned.get(groups.get(0).producers().get(0)).spec().shape()).containsExactly(3L, 3L, 4L, 2L);
        assertThat(pruned.get(groups.get(0).consumer()).spec().shape()).containsExactly(3L, 3L, 2L, 4L);
        assertThat(pruned.get(groups.get(2).consumer()).spec().shape()).containsExactly(3L, 3L, 3L, 16L);

        Map<String, float[]> silenced = new HashMap<>(weights);
        for (int g = 0; g < groups.size(); g++) {
            for (String producer : groups.get(g).producers()) {
                if (producer.endsWith("/gamma") || producer.endsWith("/beta")) {
                    float[] values = silenced.get(producer).clone();
                    for (int removed : FilterRanking.removed(kept.get(g), groups.get(g).filters())) {
                        values[removed] = 0;
                    }
                    silenced.put(producer, values);
                }
            }
        }
        Path reference = export(RESNET8, silenced, dir.resolve("silenced"));
        LabeledImages images = SyntheticImages.generate(16, 16, 3);
        float[] expected = logits(reference, images);
        float[] actual = logits(dir.resolve("smaller"), images);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(
                    1e-4f * Math.max(1f, Math.abs(expected[i]))));
        }
        assertThat(logits(dir.resolve("full"), images)).as("silencing changed the output").isNotEqualTo(expected);
    }

    @Test
    void removingStageChannelsTooMatchesTheFullNetworkWithThemSilenced() throws Exception {
        for (boolean cosine : new boolean[] {false, true}) {
            NetworkSpec network = new NetworkSpec(RESNET8.architecture(), cosine, 0.3f, 0.2f, List.of());
            Path at = dir.resolve(cosine ? "cosine" : "dense");
            Map<String, float[]> weights = randomWeights(network);
            ModelWeights source = SavedModelReader.read(export(network, weights, at.resolve("full")));
            List<String> names = NetworkStructure.of(network).channelGroups();
            List<Integer> sizes = NetworkStructure.of(network).channelCosts().groups();
            List<int[]> kept = randomKept(sizes, new Random(cosine ? 3 : 4));

            FilterRemoval.Smaller removal = FilterRemoval.sliceChannels(source, NetworkStructure.of(network), kept);
            NetworkGraph.export(removal.network(), removal.weights(), at.resolve("smaller"));

            int stage = names.indexOf("stage-3");
            assertThat(removal.network().stageWidths()).hasSize(3);
            assertThat(removal.network().stageWidth(2)).isEqualTo(kept.get(stage).length);
            assertThat(SavedModelReader.read(at.resolve("smaller")).get(cosine ? "cosine1/kernel" : "dense1/kernel")
                    .spec().shape()).containsExactly((long) kept.get(stage).length, 3L);
            assertThat(NetworkStructure.of(removal.network()).total().multiplyAdds()).as("the channel model's count")
                    .isEqualTo(NetworkStructure.of(network).channelCosts().multiplyAdds(kept.stream().mapToInt(k -> k.length)
                            .toArray()));
            Map<String, float[]> silenced = new HashMap<>(weights);
            for (ChannelGroups.ChannelAxis axis : channelAxes(network)) {
                if (axis.variable().endsWith("/gamma") || axis.variable().endsWith("/beta")) {
                    float[] values = silenced.get(axis.variable()).clone();
                    for (int removed : FilterRanking.removed(kept.get(axis.group()), sizes.get(axis.group()))) {
                        values[removed] = 0;
                    }
                    silenced.put(axis.variable(), values);
                }
            }
            LabeledImages images = SyntheticImages.generate(16, 16, 3);
            float[] expected = logits(export(network, silenced, at.resolve("silenced")), images);
            float[] actual = logits(at.resolve("smaller"), images);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s logit %d", cosine ? "cosine" : "dense", i).isCloseTo(expected[i],
                        within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
            }
        }
    }

    /**
     * What AutoBot's gates learn is what removal does: the gated network with each gate fully open or shut computes
     * what the smaller network computes — every term of a stage's channels is gated (stem, main branches,
     * projection shortcuts), so a shut gate silences the channel everywhere.
     */
    @Test
    void shutGatesAreRemovedChannels() throws Exception {
        Map<String, float[]> weights = randomWeights(RESNET8);
        ModelWeights source = SavedModelReader.read(export(RESNET8, weights, dir.resolve("full")));
        List<Integer> sizes = NetworkStructure.of(RESNET8).channelCosts().groups();
        List<int[]> kept = randomKept(sizes, new Random(5));
        FilterRemoval.Smaller smaller = FilterRemoval.sliceChannels(source, NetworkStructure.of(RESNET8), kept);
        NetworkGraph.export(smaller.network(), smaller.weights(), dir.resolve("smaller"));
        LabeledImages images = SyntheticImages.generate(16, 16, 3);
        float[] expected = logits(dir.resolve("smaller"), images);

        float[] gated;
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            NetworkGraph net = new NetworkGraph(graph, RESNET8, 0, weights, true);
            List<org.tensorflow.op.core.Assign<org.tensorflow.types.TFloat32>> shut = new ArrayList<>();
            for (Map.Entry<Integer, org.tensorflow.op.core.Variable<org.tensorflow.types.TFloat32>> logit
                    : net.builder.gates().logits().entrySet()) {
                float[] values = new float[sizes.get(logit.getKey())];
                java.util.Arrays.fill(values, -40f);
                for (int open : kept.get(logit.getKey())) {
                    values[open] = 40f;
                }
                shut.add(net.builder.tf().assign(logit.getValue(), net.builder.tf().constant(values)));
            }
            net.builder.initialize(session);
            Session.Runner assign = session.runner();
            shut.forEach(assign::addTarget);
            assign.run().close();
            int[] all = java.util.stream.IntStream.range(0, images.count()).toArray();
            try (org.tensorflow.types.TFloat32 batch = ImageTensors.images(images, all, 0, all.length);
                    org.tensorflow.Result result = session.runner().feed(net.image, batch).fetch(net.logits).run()) {
                org.tensorflow.types.TFloat32 out = (org.tensorflow.types.TFloat32) result.get(0);
                gated = new float[Math.toIntExact(out.size())];
                out.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(gated, false, false));
            }
        }
        assertThat(gated).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(gated[i]).as("logit %d", i).isCloseTo(expected[i],
                    within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
        }
    }

    /** Per group, a random part of its channels to keep: about half, never none and never all. */
    private static List<int[]> randomKept(List<Integer> sizes, Random random) {
        List<int[]> kept = new ArrayList<>();
        for (int size : sizes) {
            int[] keep = java.util.stream.IntStream.range(0, size).filter(i -> random.nextBoolean()).toArray();
            kept.add(keep.length == 0 || keep.length == size ? new int[] {random.nextInt(size)} : keep);
        }
        return kept;
    }

    private static List<ChannelGroups.ChannelAxis> channelAxes(NetworkSpec network) {
        try (Graph graph = new Graph()) {
            return new NetworkGraph(graph, network, 0, null).builder.channels().axes();
        }
    }

    @Test
    void aTrainersCheckpointLosesItsSmallestFiltersByL1Norm() throws Exception {
        LabeledImages train = SyntheticImages.generate(64, 28, 1);
        LabeledImages test = SyntheticImages.generate(16, 28, 2);
        TrainingSpec spec = new TrainingSpec(new ArchitectureSpec("resnet", 8, 4, null, null),
                new OptimizerSpec("adam", 0.01, null, 1e-4, "constant", null, null), MethodSpec.defaults(), 32, 1,
                7L, 5);
        Path checkpoint = dir.resolve("checkpoint");
        new Trainer(spec, train, test).run((result, export) -> export.exportTo(checkpoint));
        float[] stats = ImageTensors.pixelStatistics(train);
        NetworkSpec network = new NetworkSpec(spec.architecture(), spec.method().unitNorm(), stats[0], stats[1],
                List.of());
        ModelWeights source = SavedModelReader.read(checkpoint);
        List<FilterGroup> groups = NetworkStructure.of(network).filterGroups();
        List<int[]> kept = new ArrayList<>();
        Map<String, float[]> silenced = new HashMap<>();
        for (WeightTensor tensor : source.tensors()) {
            if (tensor.isFloat()) {
                silenced.put(tensor.key(), tensor.values().clone());
            }
        }
        for (FilterGroup group : groups) {
            WeightTensor kernel = source.get(group.producers().get(0));
            int[] keep = FilterRanking.keep(FilterRanking.l1Norms(new LayerWeights(kernel.key(), kernel.values(),
                    kernel.spec().shape().stream().mapToLong(Long::longValue).toArray())), 0.5);
            kept.add(keep);
            for (String producer : group.producers()) {
                if (producer.endsWith("/gamma") || producer.endsWith("/beta")) {
                    for (int removed : FilterRanking.removed(keep, group.filters())) {
                        silenced.get(producer)[removed] = 0;
                    }
                }
            }
        }

        NetworkSpec smaller = FilterRemoval.remove(source, NetworkStructure.of(network), kept, dir.resolve("smaller")).network();

        assertThat(smaller.innerWidths()).containsExactly(2, 4, 8);
        assertThat(logits(dir.resolve("smaller"), test)).containsExactly(
                logits(export(network, silenced, dir.resolve("silenced")), test), within(1e-3f));
    }

    @Test
    void aWrongKeptListIsNamed() throws Exception {
        ModelWeights source = SavedModelReader.read(export(RESNET8, randomWeights(RESNET8), dir.resolve("full")));
        assertThatThrownBy(() -> FilterRemoval.remove(source, NetworkStructure.of(RESNET8), List.of(new int[] {0}), dir.resolve("x")))
                .hasMessage("kept filters for 1 groups, but resnet8-w4 has 3");
        assertThatThrownBy(() -> FilterRemoval.remove(source, NetworkStructure.of(RESNET8), List.of(new int[] {0}, new int[] {}, new int[] {1}), dir.resolve("y")))
                .hasMessageEndingWith("no filter kept; at least one must stay");
    }

    /** Every variable random, batch-norm statistics included (variances positive), so that a wrong slice shows. */
    private static Map<String, float[]> randomWeights(NetworkSpec network) throws Exception {
        Random random = new Random(11);
        Map<String, float[]> weights = new HashMap<>();
        Path scratch = Files.createTempDirectory("random-resnet");
        for (WeightTensor tensor : SavedModelReader.read(export(network, null, scratch.resolve("m"))).tensors()) {
            if (!tensor.isFloat()) {
                continue;
            }
            float[] values = new float[tensor.values().length];
            boolean positive = tensor.key().endsWith("/moving_variance");
            for (int i = 0; i < values.length; i++) {
                values[i] = positive ? 0.5f + random.nextFloat() : (float) random.nextGaussian() * 0.5f;
            }
            weights.put(tensor.key(), values);
        }
        return weights;
    }

    private static Path export(NetworkSpec network, Map<String, float[]> weights, Path target) throws Exception {
        try (Graph graph = new Graph()) {
            NetworkGraph built = new NetworkGraph(graph, network, 5, weights);
            try (Session session = new Session(graph)) {
                built.builder.initialize(session);
                built.export(session, target);
            }
        }
        return target;
    }

    private static float[] logits(Path model, LabeledImages images) throws Exception {
        try (SavedModelRunner runner = SavedModelRunner.open(model, ModelExport.SIGNATURE_KEY, ModelExport.INPUT,
                ModelExport.LOGITS)) {
            return runner.run(images, 0, images.count());
        }
    }
}
