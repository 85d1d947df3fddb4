package io.prunestream.tensorflow;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads {@code saved_model.pb} without running anything. The checkpoint keys come from the model's own
 * {@code RestoreV2} op (in the graph for name-based checkpoints, in a library function for object-based ones), so
 * they are exactly what the variables files hold, whatever naming scheme the exporter used.
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
        return new SavedModelInfo(directory, signatures, keys, prunableKernels(metaGraph, keys));
    }

    /** Ops whose output is their first input's value: a variable read through them is still that variable. */
    private static final Set<String> PASS_THROUGH = Set.of("Identity", "ReadVariableOp", "Enter", "RefIdentity",
            "Snapshot");

    /**
     * The float checkpoint variables that a Conv2D consumes as its filter or a MatMul as its weights (without
     * transposition, so the output channel is the last axis), found by following the graph, not the names.
     */
    private static List<PrunableKernel> prunableKernels(MetaGraphDef metaGraph, Map<String, String> keys) {
        Map<String, NodeDef> nodes = new HashMap<>();
        for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
            nodes.put(node.getName(), node);
        }
        Map<String, PrunableKernel> found = new LinkedHashMap<>();
        for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
            String kind = switch (node.getOp()) {
                case "Conv2D" -> "conv";
                case "MatMul" -> transposed(node) ? null : "dense";
                default -> null;
            };
            if (kind == null || node.getInputCount() < 2) {
                continue;
            }
            NodeDef source = nodes.get(nodeName(node.getInput(1)));
            for (int hops = 0; source != null && PASS_THROUGH.contains(source.getOp()) && hops < 16; hops++) {
                source = source.getInputCount() == 0 ? null : nodes.get(nodeName(source.getInput(0)));
            }
            if (source == null || !(source.getOp().equals("VariableV2") || source.getOp().equals("VarHandleOp"))) {
                continue;
            }
            String key = keys.containsKey(source.getName()) ? source.getName() : sharedName(source);
            if (key != null && TensorSpec.FLOAT.equals(keys.get(key))) {
                found.putIfAbsent(key, new PrunableKernel(key, kind, node.getName()));
            }
        }
        return new ArrayList<>(found.values());
    }

    private static boolean transposed(NodeDef matMul) {
        AttrValue a = matMul.getAttrMap().get("transpose_a");
        AttrValue b = matMul.getAttrMap().get("transpose_b");
        return (a != null && a.getB()) || (b != null && b.getB());
    }

    private static String sharedName(NodeDef variable) {
        AttrValue shared = variable.getAttrMap().get("shared_name");
        return shared == null || shared.getS().isEmpty() ? null : shared.getS().toStringUtf8();
    }

    private static String nodeName(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    private static MetaGraphDef serveMetaGraph(Path directory) throws TensorFlowException {
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
            for (NodeDef node : nodes) {
                if (node.getOp().equals("RestoreV2")) {
                    return restoredTensors(directory, node, nodes);
                }
            }
        }
        throw new TensorFlowException("SavedModel " + directory + " has no RestoreV2 op, so its variables cannot"
                + " be located");
    }

    private static Map<String, String> restoredTensors(Path directory, NodeDef restore, List<NodeDef> scope)
            throws TensorFlowException {
        NodeDef names = constantFeeding(restore.getInput(1), scope, directory);
        List<String> keys = strings(names.getAttrOrThrow("value").getTensor(), directory);
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

    /**
     * The strings of a constant. Python writes them as {@code string_val}; the C API (and so TensorFlow Java) packs
     * them into {@code tensor_content}: one varint length per element, then the bytes of all elements.
     */
    private static List<String> strings(TensorProto tensor, Path directory) throws TensorFlowException {
        List<String> values = new ArrayList<>();
        tensor.getStringValList().forEach(value -> values.add(value.toStringUtf8()));
        if (!values.isEmpty() || tensor.getTensorContent().isEmpty()) {
            return values;
        }
        long count = 1;
        for (TensorShapeProto.Dim dim : tensor.getTensorShape().getDimList()) {
            count *= dim.getSize();
        }
        try {
            CodedInputStream in = tensor.getTensorContent().newCodedInput();
            int[] lengths = new int[Math.toIntExact(count)];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = in.readRawVarint32();
            }
            for (int length : lengths) {
                values.add(new String(in.readRawBytes(length), StandardCharsets.UTF_8));
            }
            return values;
        } catch (IOException | ArithmeticException e) {
            throw new TensorFlowException("SavedModel " + directory + ": cannot decode the tensor names of its"
                    + " RestoreV2 op: " + e.getMessage(), e);
        }
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
