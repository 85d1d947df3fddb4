package io.prunestream.tensorflow;

import io.prunestream.tensorflow.graph.FunctionInliner;
import io.prunestream.tensorflow.graph.SignatureSlice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TString;

/**
 * A SavedModel opened so that every tensor of it can be fed and fetched: its graph with every function call inlined
 * ({@link FunctionInliner}; a TF1 graph stays as it is), without what only other signatures need
 * ({@link SignatureSlice}: one copy of the model, fed by that signature's input, however many signatures call it),
 * optionally rewritten (batch norm put in training mode, say), imported into a plain session, and its variables
 * restored by the model's own restore op. What batch-norm calibration and layer reconstruction run on. Not
 * thread-safe; close it.
 */
public final class InlinedModel implements AutoCloseable {

    private final Path directory;
    private final MetaGraphDef metaGraph;
    private final GraphDef graphDef;
    private final Graph graph;
    private final Session session;

    private InlinedModel(Path directory, MetaGraphDef metaGraph, GraphDef graphDef, Graph graph, Session session) {
        this.directory = directory;
        this.metaGraph = metaGraph;
        this.graphDef = graphDef;
        this.graph = graph;
        this.session = session;
    }

    /**
     * Opens {@code directory} for signature {@code signatureKey}; {@code rewrite} may change the inlined graph before
     * it is imported.
     */
    public static InlinedModel open(Path directory, String signatureKey, UnaryOperator<GraphDef> rewrite)
            throws TensorFlowException {
        TensorFlowRuntime.start();
        MetaGraphDef metaGraph = SavedModelInspector.serveMetaGraph(directory);
        Checkpoints.requireIndex(directory);
        GraphDef graphDef = rewrite.apply(inlined(directory, metaGraph, signatureKey));
        Graph graph = new Graph();
        Session session = null;
        try {
            graph.importGraphDef(graphDef);
            session = new Session(graph);
            SaverDef saver = metaGraph.getSaverDef();
            try (TString prefix = TString.scalarOf(Checkpoints.prefix(directory).toString())) {
                session.runner().feed(saver.getFilenameTensorName(), prefix).addTarget(saver.getRestoreOpName())
                        .run();
            }
            return new InlinedModel(directory, metaGraph, graphDef, graph, session);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw new TensorFlowException("cannot run SavedModel " + directory + " with its functions inlined: "
                    + e.getMessage(), e);
        }
    }

    /** The graph of {@code directory}, inlined, without what only signatures other than {@code signatureKey} need. */
    public static GraphDef inlined(Path directory, String signatureKey) throws TensorFlowException {
        return inlined(directory, SavedModelInspector.serveMetaGraph(directory), signatureKey);
    }

    private static GraphDef inlined(Path directory, MetaGraphDef metaGraph, String signatureKey)
            throws TensorFlowException {
        SignatureDef signature = metaGraph.getSignatureDefMap().get(signatureKey);
        if (signature == null) {
            throw new TensorFlowException("SavedModel " + directory + " has no signature '" + signatureKey + "' (it"
                    + " has " + metaGraph.getSignatureDefMap().keySet() + ")");
        }
        List<String> roots = new ArrayList<>();
        signature.getOutputsMap().values().forEach(info -> roots.add(info.getName()));
        signature.getInputsMap().values().forEach(info -> roots.add(info.getName()));
        SaverDef saver = metaGraph.getSaverDef();
        roots.add(saver.getRestoreOpName());
        roots.add(saver.getFilenameTensorName());
        List<String> others = new ArrayList<>();
        metaGraph.getSignatureDefMap().forEach((key, other) -> {
            if (!key.equals(signatureKey) && !key.equals("__saved_model_init_op")) {
                other.getOutputsMap().values().forEach(info -> others.add(info.getName()));
                other.getInputsMap().values().forEach(info -> others.add(info.getName()));
            }
        });
        try {
            return SignatureSlice.of(FunctionInliner.inline(metaGraph.getGraphDef()), roots, others);
        } catch (IllegalArgumentException e) {
            throw new TensorFlowException("cannot inline the functions of SavedModel " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The graph as imported: inlined, without other signatures' copies, and rewritten. */
    public GraphDef graphDef() {
        return graphDef;
    }

    public Session session() {
        return session;
    }

    /** The imported graph; ops added to it can be run by {@link #session()} too. */
    public Graph graph() {
        return graph;
    }

    public Path directory() {
        return directory;
    }

    /** The tensor behind an input or output of a signature, such as {@code serving_default_x:0}. */
    public String tensor(String signatureKey, String name) throws TensorFlowException {
        SignatureDef signature = metaGraph.getSignatureDefMap().get(signatureKey);
        if (signature == null) {
            throw new TensorFlowException("SavedModel " + directory + " has no signature '" + signatureKey + "'");
        }
        TensorInfo info = signature.getInputsMap().containsKey(name) ? signature.getInputsMap().get(name)
                : signature.getOutputsMap().get(name);
        if (info == null) {
            throw new TensorFlowException("signature '" + signatureKey + "' of SavedModel " + directory
                    + " has no input or output '" + name + "'");
        }
        return info.getName();
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
