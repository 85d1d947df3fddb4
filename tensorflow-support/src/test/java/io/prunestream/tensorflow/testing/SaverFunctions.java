package io.prunestream.tensorflow.testing;

import static io.prunestream.tensorflow.testing.Tf2SavedModel.arg;
import static io.prunestream.tensorflow.testing.Tf2SavedModel.node;
import static io.prunestream.tensorflow.testing.Tf2SavedModel.sanitize;
import static io.prunestream.tensorflow.testing.Tf2SavedModel.strings;
import static io.prunestream.tensorflow.testing.Tf2SavedModel.type;

import io.prunestream.tensorflow.testing.Tf2SavedModel.Variable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * The saver's side of a TF2 SavedModel, as {@code tf.saved_model.save} writes it: {@code __inference__traced_save_*}
 * (each variable read after {@code DisableCopyOnRead}, then one {@code SaveV2}) and
 * {@code __inference__traced_restore_*} (one {@code RestoreV2} of every key, each assigned to its argument), the
 * object graph, and the checkpoint itself.
 */
final class SaverFunctions {

    private static final String OBJECT_GRAPH = "_CHECKPOINTABLE_OBJECT_GRAPH";

    private SaverFunctions() {
    }

    static FunctionDef save(String name, List<Variable> variables) {
        OpDef.Builder signature = saverSignature(name);
        FunctionDef.Builder function = FunctionDef.newBuilder();
        List<String> tensors = new ArrayList<>();
        AttrValue.ListValue.Builder dtypes = AttrValue.ListValue.newBuilder();
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < variables.size(); k++) {
            Variable v = variables.get(k);
            String arg = "read_" + k + "_disablecopyonread_" + sanitize(v.node());
            signature.addInputArg(arg(arg, DataType.DT_RESOURCE));
            String read = "Read_" + k;
            function.addNodeDef(node(read + "/DisableCopyOnRead", "DisableCopyOnRead", arg));
            function.addNodeDef(node(read + "/ReadVariableOp", "ReadVariableOp", arg,
                    "^" + read + "/DisableCopyOnRead").putAttr("dtype", type(v.dtype())));
            function.addNodeDef(node("Identity_" + k, "Identity", read + "/ReadVariableOp:value:0")
                    .putAttr("T", type(v.dtype())));
            tensors.add("Identity_" + k + ":output:0");
            dtypes.addType(v.dtype());
            keys.add(v.key());
        }
        signature.addInputArg(arg("savev2_const", DataType.DT_STRING));
        tensors.add("savev2_const");
        dtypes.addType(DataType.DT_STRING);
        keys.add(OBJECT_GRAPH);
        function.addNodeDef(strings("SaveV2/tensor_names", keys));
        function.addNodeDef(strings("SaveV2/shape_and_slices", keys.stream().map(k -> "").toList()));
        List<String> inputs = new ArrayList<>(List.of("file_prefix", "SaveV2/tensor_names:output:0",
                "SaveV2/shape_and_slices:output:0"));
        inputs.addAll(tensors);
        function.addNodeDef(node("SaveV2", "SaveV2", inputs.toArray(String[]::new))
                .putAttr("dtypes", AttrValue.newBuilder().setList(dtypes).build()));
        function.addNodeDef(node("Identity_out", "Identity", "file_prefix", "^SaveV2")
                .putAttr("T", type(DataType.DT_STRING)));
        return function.setSignature(signature).putRet("identity", "Identity_out:output:0").build();
    }

    /**
     * The restore function: one {@code RestoreV2} of every key, or, where {@code objectGraphApart} (TF 2.0 to 2.4,
     * which restored per device), the variables' and a second {@code RestoreV2_1} of the object graph alone, run too.
     */
    static FunctionDef restore(String name, List<Variable> variables, boolean objectGraphApart) {
        OpDef.Builder signature = saverSignature(name);
        FunctionDef.Builder function = FunctionDef.newBuilder();
        List<String> keys = new ArrayList<>();
        AttrValue.ListValue.Builder dtypes = AttrValue.ListValue.newBuilder();
        variables.forEach(v -> {
            keys.add(v.key());
            dtypes.addType(v.dtype());
        });
        List<String> assigned = new ArrayList<>(List.of("file_prefix"));
        if (!objectGraphApart) {
            keys.add(OBJECT_GRAPH);
            dtypes.addType(DataType.DT_STRING);
        }
        function.addNodeDef(strings("RestoreV2/tensor_names", keys));
        function.addNodeDef(strings("RestoreV2/shape_and_slices", keys.stream().map(k -> "").toList()));
        function.addNodeDef(node("RestoreV2", "RestoreV2", "file_prefix", "RestoreV2/tensor_names:output:0",
                "RestoreV2/shape_and_slices:output:0").putAttr("dtypes", AttrValue.newBuilder().setList(dtypes)
                        .build()));
        if (objectGraphApart) {
            function.addNodeDef(strings("RestoreV2_1/tensor_names", List.of(OBJECT_GRAPH)));
            function.addNodeDef(strings("RestoreV2_1/shape_and_slices", List.of("")));
            function.addNodeDef(node("RestoreV2_1", "RestoreV2", "file_prefix", "RestoreV2_1/tensor_names:output:0",
                    "RestoreV2_1/shape_and_slices:output:0").putAttr("dtypes", AttrValue.newBuilder().setList(
                            AttrValue.ListValue.newBuilder().addType(DataType.DT_STRING)).build()));
            assigned.add("^RestoreV2_1");
        }
        for (int k = 0; k < variables.size(); k++) {
            Variable v = variables.get(k);
            String arg = "assignvariableop_" + k + "_" + sanitize(v.node());
            signature.addInputArg(arg(arg, DataType.DT_RESOURCE));
            function.addNodeDef(node("Identity_" + k, "Identity", "RestoreV2:tensors:" + k)
                    .putAttr("T", type(v.dtype())));
            function.addNodeDef(node("AssignVariableOp_" + k, "AssignVariableOp", arg, "Identity_" + k + ":output:0")
                    .putAttr("dtype", type(v.dtype())));
            assigned.add("^AssignVariableOp_" + k);
        }
        function.addNodeDef(node("Identity_out", "Identity", assigned.toArray(String[]::new))
                .putAttr("T", type(DataType.DT_STRING)));
        return function.setSignature(signature).putRet("identity", "Identity_out:output:0").build();
    }

    /** The saver functions take the checkpoint's path first and return it. */
    private static OpDef.Builder saverSignature(String name) {
        return OpDef.newBuilder().setName(name).setIsStateful(true).addInputArg(arg("file_prefix", DataType.DT_STRING))
                .addOutputArg(arg("identity", DataType.DT_STRING));
    }

    /** A minimal object graph: the root, one child per variable, each with its checkpoint key. */
    static byte[] objectGraph(List<Variable> variables) {
        TrackableObjectGraph.Builder graph = TrackableObjectGraph.newBuilder();
        TrackableObjectGraph.TrackableObject.Builder root = TrackableObjectGraph.TrackableObject.newBuilder();
        for (int i = 0; i < variables.size(); i++) {
            Variable v = variables.get(i);
            String path = v.key().replace("/.ATTRIBUTES/VARIABLE_VALUE", "");
            root.addChildren(TrackableObjectGraph.TrackableObject.ObjectReference.newBuilder().setNodeId(i + 1)
                    .setLocalName(path));
        }
        graph.addNodes(root);
        for (Variable v : variables) {
            graph.addNodes(TrackableObjectGraph.TrackableObject.newBuilder().addAttributes(
                    TrackableObjectGraph.TrackableObject.SerializedTensor.newBuilder().setName("VARIABLE_VALUE")
                            .setFullName(v.node()).setCheckpointKey(v.key())));
        }
        return graph.build().toByteArray();
    }

    static void writeCheckpoint(Path directory, List<Variable> variables, byte[] objectGraph) {
        List<String> keys = new ArrayList<>();
        List<Operand<?>> values = new ArrayList<>();
        List<TFloat32> feeds = new ArrayList<>();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Session.Runner runner = session.runner();
            for (Variable v : variables) {
                keys.add(v.key());
                if (v.dtype() == DataType.DT_FLOAT) {
                    // Fed, not constants: a graph holding a large model's weights as constants copies them again.
                    Placeholder<TFloat32> input = tf.placeholder(TFloat32.class);
                    TFloat32 feed = TFloat32.tensorOf(Shape.of(v.shape()), DataBuffers.of(v.floats(), true, false));
                    feeds.add(feed);
                    runner.feed(input, feed);
                    values.add(input);
                } else {
                    values.add(tf.constant(v.integer()));
                }
            }
            keys.add(OBJECT_GRAPH);
            values.add(tf.constantOf(TString.tensorOfBytes(NdArrays.scalarOfObject(objectGraph))));
            runner.addTarget(tf.train.save(tf.constant(directory.resolve("variables").resolve("variables")
                    .toString()), stringVector(tf, keys), stringVector(tf, keys.stream().map(k -> "").toList()),
                    values));
            try (Result ignored = runner.run()) {
                // Saving is the target's side effect.
            }
        } finally {
            feeds.forEach(TFloat32::close);
        }
    }

    private static Operand<TString> stringVector(Ops tf, List<String> values) {
        return tf.constant(Shape.of(values.size()), DataBuffers.ofObjects(values.toArray(String[]::new)));
    }
}
