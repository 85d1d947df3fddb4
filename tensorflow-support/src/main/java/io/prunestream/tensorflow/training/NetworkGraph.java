package io.prunestream.tensorflow.training;

import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.model.Activations;
import io.prunestream.tensorflow.model.Architectures;
import io.prunestream.tensorflow.model.GraphBuilder;
import io.prunestream.tensorflow.model.Layer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The serving part of a network's graph: input {@value ModelExport#INPUT} (pixels in [0, 1]), standardisation,
 * the network, {@value ModelExport#LOGITS} and {@value ModelExport#PROBABILITIES}. The training graph is built on
 * top of it, and a structurally pruned network is rebuilt with it, so both have the same names.
 */
public final class NetworkGraph {

    public final NetworkSpec spec;
    public final GraphBuilder builder;
    public final Placeholder<TFloat32> image;
    public final Operand<TFloat32> logits;
    public final Operand<TFloat32> probabilities;
    /** The network's variables (weights and batch-norm statistics), by name, in creation order. */
    public final List<String> variables;

    /** @param preset the variables' values by name, or null to draw them from {@code seed} */
    public NetworkGraph(Graph graph, NetworkSpec spec, long seed, Map<String, float[]> preset) {
        this(graph, spec, seed, preset, false);
    }

    /** @param gated with trainable gates on the channel groups ({@link io.prunestream.tensorflow.model.Gates#gate}) */
    public NetworkGraph(Graph graph, NetworkSpec spec, long seed, Map<String, float[]> preset, boolean gated) {
        this.spec = spec;
        builder = new GraphBuilder(graph, seed, preset);
        if (gated) {
            builder.gates().enable();
        }
        Ops tf = builder.tf();
        ArchitectureSpec arch = spec.architecture();
        List<Integer> in = arch.inputShape();
        image = tf.withName(ModelExport.INPUT).placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, in.get(0), in.get(1), in.get(2))));
        Layer network = ArchitectureSpec.RESNET.equals(arch.name())
                ? Architectures.resnet(arch.blocksPerStage(), arch.width(), arch.classes(), spec.cosine(),
                        spec.innerWidths(), spec.stageWidths())
                : Architectures.smallCnn(arch.classes(), spec.cosine());
        Operand<TFloat32> standardized = Activations.standardize(spec.pixelMean(), spec.pixelStd())
                .apply(builder, image);
        logits = tf.withName(ModelExport.LOGITS).identity(network.apply(builder, standardized));
        probabilities = tf.withName(ModelExport.PROBABILITIES).nn.softmax(logits);
        variables = builder.variableNames(0);
        builder.endPreset();
    }

    /** Writes {@code network} with {@code weights} (by variable name) as a SavedModel that holds nothing else. */
    public static void export(NetworkSpec network, Map<String, float[]> weights, Path directory)
            throws TensorFlowException {
        try (Graph graph = new Graph()) {
            NetworkGraph rebuilt = new NetworkGraph(graph, network, 0, weights);
            try (Session session = new Session(graph)) {
                rebuilt.builder.initialize(session);
                rebuilt.export(session, directory);
            }
        } catch (IllegalArgumentException e) {
            throw new TensorFlowException("cannot rebuild " + network.architecture().label() + " for " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    /** The current values of the network's variables in {@code session}. */
    public Map<String, float[]> weights(Session session) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Session.Runner runner = session.runner();
        variables.forEach(runner::fetch);
        try (Result result = runner.run()) {
            for (int i = 0; i < variables.size(); i++) {
                TFloat32 tensor = (TFloat32) result.get(i);
                float[] copy = new float[Math.toIntExact(tensor.size())];
                tensor.copyTo(DataBuffers.of(copy, false, false));
                values.put(variables.get(i), copy);
            }
        }
        return values;
    }

    /** Writes the session's graph and variables as a SavedModel with the serving signature. */
    public void export(Session session, Path directory) throws TensorFlowException {
        try {
            SavedModelBundle.exporter(directory.toString()).withSession(session)
                    .withSignature(Signature.builder().key(ModelExport.SIGNATURE_KEY).input(ModelExport.INPUT, image)
                            .output(ModelExport.LOGITS, logits).output(ModelExport.PROBABILITIES, probabilities)
                            .build())
                    .export();
        } catch (IOException | RuntimeException e) {
            throw new TensorFlowException("cannot export the model to " + directory + ": " + e, e);
        }
    }
}
