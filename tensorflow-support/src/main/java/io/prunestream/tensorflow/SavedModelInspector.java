package io.prunestream.tensorflow;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prunestream.tensorflow.graph.GraphConstants;
import io.prunestream.tensorflow.graph.KernelFinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads {@code saved_model.pb} without running anything. The checkpoint keys come from the model's own
 * {@code RestoreV2} ops (in the graph for name-based checkpoints, in a library function for object-based ones; every
 * one of them, since early TF 2.x savers restore the object graph with an op of its own), so they are exactly what
 * the variables files hold and what the loader will ask of a rewritten checkpoint, whatever naming scheme the
 * exporter used; the kernels from the ops
 * that read them ({@link KernelFinder}), in the graph and in the functions it calls.
 */
public final class SavedModelInspector {

    public static final String SERVE_TAG = "serve";

    private SavedModelInspector() {
    }

    public static SavedModelInfo inspect(Path directory) throws TensorFlowException {
        TensorFlowRuntime.start();
        MetaGraphDef metaGraph = serveMetaGraph(directory);
        Map<String, SignatureInfo> signatures = new HashMap<>();
        metaGraph.getSignatureDefMap().forEach((key, def) -> signatures.put(key, signature(key, def)));
        Map<String, String> keys = checkpointKeys(directory, metaGraph);
        KernelFinder.Search kernels = KernelFinder.find(metaGraph.getGraphDef(), keys);
        return new SavedModelInfo(directory, signatures, keys, kernels.kernels(), kernels.opsSeen());
    }

    /** The meta graph tagged {@value #SERVE_TAG}, as {@code saved_model.pb} holds it. */
    public static MetaGraphDef serveMetaGraph(Path directory) throws TensorFlowException {
        Path file = directory.resolve("saved_model.pb");
        if (!Files.isRegularFile(file)) {
            throw new TensorFlowException("not a SavedModel: " + file + " does not exist");
        }
        SavedModel model;
        try {
            model = SavedModel.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new TensorFlowException("corrupt SavedModel: " + file + " is not a SavedModel protobuf ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new TensorFlowException("cannot read " + file + ": " + e, e);
        }
        for (MetaGraphDef metaGraph : model.getMetaGraphsList()) {
            if (metaGraph.getMetaInfoDef().getTagsList().contains(SERVE_TAG)) {
                return metaGraph;
            }
        }
        throw new TensorFlowException("SavedModel " + directory + " has no meta graph tagged '" + SERVE_TAG + "'");
    }

    private static SignatureInfo signature(String key, SignatureDef def) {
        Map<String, TensorSpec> inputs = new HashMap<>();
        def.getInputsMap().forEach((name, info) -> inputs.put(name, spec(info)));
        Map<String, TensorSpec> outputs = new HashMap<>();
        def.getOutputsMap().forEach((name, info) -> outputs.put(name, spec(info)));
        return new SignatureInfo(key, inputs, outputs);
    }

    private static TensorSpec spec(TensorInfo info) {
        return new TensorSpec(info.getDtype().name(), info.getTensorShape().getUnknownRank() ? List.of()
                : dims(info.getTensorShape()));
    }

    private static List<Long> dims(TensorShapeProto shape) {
        List<Long> dims = new ArrayList<>();
        shape.getDimList().forEach(dim -> dims.add(dim.getSize()));
        return dims;
    }

    private static Map<String, String> checkpointKeys(Path directory, MetaGraphDef metaGraph)
            throws TensorFlowException {
        List<List<NodeDef>> scopes = new ArrayList<>();
        scopes.add(metaGraph.getGraphDef().getNodeList());
        for (FunctionDef function : metaGraph.getGraphDef().getLibrary().getFunctionList()) {
            scopes.add(function.getNodeDefList());
        }
        for (List<NodeDef> nodes : scopes) {
            // Every RestoreV2 of the scope: early TF 2.x savers restore per device, the object graph apart.
            Map<String, String> keys = new LinkedHashMap<>();
            for (NodeDef node : nodes) {
                if (node.getOp().equals("RestoreV2")) {
                    restoredTensors(directory, node, nodes).forEach(keys::putIfAbsent);
                }
            }
            if (!keys.isEmpty()) {
                return keys;
            }
        }
        throw new TensorFlowException("SavedModel " + directory + " has no RestoreV2 op, so its variables cannot"
                + " be located");
    }

    private static Map<String, String> restoredTensors(Path directory, NodeDef restore, List<NodeDef> scope)
            throws TensorFlowException {
        NodeDef names = constantFeeding(restore.getInput(1), scope, directory);
        List<String> keys;
        try {
            keys = GraphConstants.strings(names.getAttrOrThrow("value").getTensor());
        } catch (IOException | ArithmeticException e) {
            throw new TensorFlowException("SavedModel " + directory + ": cannot decode the tensor names of its"
                    + " RestoreV2 op: " + e.getMessage(), e);
        }
        AttrValue.ListValue dtypes = restore.getAttrOrThrow("dtypes").getList();
        if (dtypes.getTypeCount() != keys.size()) {
            throw new TensorFlowException("SavedModel " + directory + ": RestoreV2 lists " + keys.size()
                    + " tensors but " + dtypes.getTypeCount() + " data types");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            result.put(keys.get(i), dtypes.getType(i).name());
        }
        return result;
    }

    private static NodeDef constantFeeding(String input, List<NodeDef> scope, Path directory)
            throws TensorFlowException {
        // Graph inputs read "node" or "node:1"; function inputs read "node:output:0".
        String name = input.split(":")[0];
        for (NodeDef node : scope) {
            if (node.getName().equals(name) && node.getOp().equals("Const")) {
                return node;
            }
        }
        throw new TensorFlowException("SavedModel " + directory + ": the tensor names of its RestoreV2 op ('"
                + input + "') are not a constant");
    }
}
