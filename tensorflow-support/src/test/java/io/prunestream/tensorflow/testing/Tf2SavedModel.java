package io.prunestream.tensorflow.testing;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VersionDef;

/**
 * Writes a SavedModel laid out as Python's {@code tf.saved_model.save} and Keras' {@code model.save(dir)} (TF 2.x)
 * write them, for tests that cannot run Python: the graph holds only {@code VarHandleOp}s, placeholders and calls;
 * the compute lives in {@code __inference_*} library functions reached through {@code StatefulPartitionedCall}s
 * (the signature wrapper, optional wrapper levels, then the model), each taking the variables as resource
 * arguments; the saver's {@code __inference__traced_save_*} (with {@code DisableCopyOnRead}) and
 * {@code __inference__traced_restore_*} functions take every variable, the restore assigning object-based keys from
 * one {@code RestoreV2}; the checkpoint holds those keys and {@code _CHECKPOINTABLE_OBJECT_GRAPH}. Attributes at
 * their defaults are left out ({@code stripped_default_attrs}), as the exporters do.
 */
final class Tf2SavedModel {

    /** A variable of the model: float (with values) or a 64-bit integer counter. */
    record Variable(String node, String key, DataType dtype, long[] shape, float[] floats, long integer) {

        static Variable floats(String node, String key, long[] shape, float[] values) {
            return new Variable(node, key, DataType.DT_FLOAT, shape, values, 0);
        }

        static Variable counter(String node, String key, long value) {
            return new Variable(node, key, DataType.DT_INT64, new long[0], null, value);
        }
    }

    /** Which exporter's layout, where they differ. */
    enum Exporter {
        /** TF 2.5 to 2.15's {@code tf.saved_model.save} and Keras 2's {@code model.save(dir)}. */
        TF2,
        /**
         * TF 2.0 to 2.4: the saver restores per device, so {@code _CHECKPOINTABLE_OBJECT_GRAPH} has a
         * {@code RestoreV2} of its own, which the loader runs: a checkpoint without the key does not load.
         */
        EARLY_TF2,
        /**
         * Keras 3's {@code model.export(dir)}: two signatures, {@code serve} and {@code serving_default}, each with its
         * own input placeholder and call of the same function.
         */
        KERAS3_EXPORT
    }

    /**
     * @param model the compute: arguments {@code x} and then one resource per name in {@code modelVariables}
     * @param wrappers call levels between the signature wrapper and the model (0: the wrapper calls the model)
     */
    record Spec(String inputName, long[] inputShape, String outputName, FunctionDef model,
            List<String> modelVariables, List<Variable> variables, int wrappers, Exporter exporter) {

        Spec(String inputName, long[] inputShape, String outputName, FunctionDef model, List<String> modelVariables,
                List<Variable> variables, int wrappers) {
            this(inputName, inputShape, outputName, model, modelVariables, variables, wrappers, Exporter.TF2);
        }
    }

    private Tf2SavedModel() {
    }

    static void write(Path directory, Spec spec) throws IOException {
        Files.createDirectories(directory.resolve("variables"));
        GraphDef.Builder graph = GraphDef.newBuilder().setVersions(VersionDef.newBuilder().setProducer(1569)
                .setMinConsumer(12));
        List<String> allNodes = new ArrayList<>();
        List<DataType> allTypes = new ArrayList<>();
        for (Variable v : spec.variables()) {
            graph.addNode(node(v.node(), "VarHandleOp").putAttr("dtype", type(v.dtype()))
                    .putAttr("shape", shape(v.shape())).putAttr("shared_name", text(v.node())));
            graph.addNode(node(v.node() + "/Read/ReadVariableOp", "ReadVariableOp", v.node())
                    .putAttr("dtype", type(v.dtype())));
            allNodes.add(v.node());
            allTypes.add(v.dtype());
        }
        boolean keras3 = spec.exporter() == Exporter.KERAS3_EXPORT;
        String input = "serving_default_" + spec.inputName();
        String serveInput = "serve_" + spec.inputName();
        // Keras 3 puts the serve signature's placeholder and call first.
        for (String placeholder : keras3 ? List.of(serveInput, input) : List.of(input)) {
            graph.addNode(node(placeholder, "Placeholder").putAttr("dtype", type(DataType.DT_FLOAT))
                    .putAttr("shape", shape(spec.inputShape())));
        }

        // The serving path: graph -> signature wrapper -> wrappers -> model.
        int id = 1000;
        String callee = spec.model().getSignature().getName();
        graph.getLibraryBuilder().addFunction(spec.model());
        for (int level = 0; level <= spec.wrappers(); level++) {
            String name = level == spec.wrappers() ? "__inference_signature_wrapper_" + id++
                    : "__inference_call_" + id++;
            graph.getLibraryBuilder().addFunction(passThrough(name, callee, spec.modelVariables().size()));
            callee = name;
        }
        int calls = 0;
        for (String placeholder : keras3 ? List.of(serveInput, input) : List.of(input)) {
            List<String> servingInputs = new ArrayList<>();
            servingInputs.add(placeholder);
            servingInputs.addAll(spec.modelVariables());
            graph.addNode(call(callName(calls++), callee, servingInputs, floats(1 + spec.modelVariables().size()),
                    List.of(DataType.DT_FLOAT)));
        }
        String servingCall = callName(calls - 1);
        String saveCall = callName(calls);
        String restoreCall = callName(calls + 1);

        // The saver: its filename, the object graph, and calls of the save and restore functions.
        graph.addNode(node("saver_filename", "Placeholder").putAttr("dtype", type(DataType.DT_STRING))
                .putAttr("shape", shape(new long[0])));
        byte[] objectGraph = SaverFunctions.objectGraph(spec.variables());
        graph.addNode(node("Const", "Const").putAttr("dtype", type(DataType.DT_STRING))
                .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                        .setDtype(DataType.DT_STRING).setTensorShape(TensorShapeProto.getDefaultInstance())
                        .addStringVal(ByteString.copyFrom(objectGraph))).build()));
        String save = "__inference__traced_save_" + id++;
        String restore = "__inference__traced_restore_" + id++;
        graph.getLibraryBuilder().addFunction(SaverFunctions.save(save, spec.variables()));
        graph.getLibraryBuilder().addFunction(SaverFunctions.restore(restore, spec.variables(),
                spec.exporter() == Exporter.EARLY_TF2));
        List<String> saveInputs = new ArrayList<>(List.of("saver_filename"));
        saveInputs.addAll(allNodes);
        saveInputs.add("Const");
        List<DataType> saveTypes = new ArrayList<>(List.of(DataType.DT_STRING));
        allNodes.forEach(n -> saveTypes.add(DataType.DT_RESOURCE));
        saveTypes.add(DataType.DT_STRING);
        graph.addNode(call(saveCall, save, saveInputs, saveTypes, List.of(DataType.DT_STRING)));
        List<String> restoreInputs = new ArrayList<>(List.of("saver_filename"));
        restoreInputs.addAll(allNodes);
        graph.addNode(call(restoreCall, restore, restoreInputs,
                saveTypes.subList(0, saveTypes.size() - 1), List.of(DataType.DT_STRING)));
        graph.addNode(node("NoOp", "NoOp"));

        MetaGraphDef.Builder meta = MetaGraphDef.newBuilder()
                .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve").setTensorflowVersion(
                        spec.exporter() == Exporter.EARLY_TF2 ? "2.1.0" : "2.14.0")
                        .setTensorflowGitVersion("unknown").setStrippedDefaultAttrs(true))
                .setGraphDef(graph)
                .setSaverDef(SaverDef.newBuilder().setFilenameTensorName("saver_filename:0")
                        .setSaveTensorName(saveCall + ":0").setRestoreOpName(restoreCall)
                        .setVersion(SaverDef.CheckpointFormatVersion.V2))
                .putSignatureDef("serving_default", SignatureDef.newBuilder()
                        .setMethodName("tensorflow/serving/predict")
                        .putInputs(spec.inputName(), tensorInfo(input + ":0", spec.inputShape()))
                        .putOutputs(spec.outputName(), tensorInfo(servingCall + ":0", null)).build());
        if (keras3) {
            meta.putSignatureDef("serve", SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
                    .putInputs(spec.inputName(), tensorInfo(serveInput + ":0", spec.inputShape()))
                    .putOutputs(spec.outputName(), tensorInfo(callName(0) + ":0", null)).build());
        }
        meta.putSignatureDef("__saved_model_init_op", SignatureDef.newBuilder()
                .putOutputs("__saved_model_init_op", TensorInfo.newBuilder().setName("NoOp").build()).build());
        Files.write(directory.resolve("saved_model.pb"), SavedModel.newBuilder().setSavedModelSchemaVersion(1)
                .addMetaGraphs(meta.build()).build().toByteArray());
        SaverFunctions.writeCheckpoint(directory, spec.variables(), objectGraph);
    }

    /** The graph's calls are named as the exporters name them: StatefulPartitionedCall, then _1, _2, ... */
    private static String callName(int index) {
        return index == 0 ? "StatefulPartitionedCall" : "StatefulPartitionedCall_" + index;
    }

    /** A function that passes its arguments to {@code callee} and returns its result, as the wrappers do. */
    private static FunctionDef passThrough(String name, String callee, int variables) {
        OpDef.Builder signature = OpDef.newBuilder().setName(name).setIsStateful(true)
                .addInputArg(arg("x", DataType.DT_FLOAT)).addOutputArg(arg("identity", DataType.DT_FLOAT));
        List<String> inputs = new ArrayList<>(List.of("x"));
        for (int i = 0; i < variables; i++) {
            String arg = i == 0 ? "unknown" : "unknown_" + (i - 1);
            signature.addInputArg(arg(arg, DataType.DT_RESOURCE));
            inputs.add(arg);
        }
        return FunctionDef.newBuilder().setSignature(signature)
                .addNodeDef(call("StatefulPartitionedCall", callee, inputs, floats(1 + variables),
                        List.of(DataType.DT_FLOAT)))
                .addNodeDef(node("Identity", "Identity", "StatefulPartitionedCall:output:0")
                        .putAttr("T", type(DataType.DT_FLOAT)))
                .putRet("identity", "Identity:output:0").build();
    }

    static NodeDef.Builder node(String name, String op, String... inputs) {
        return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs));
    }

    static NodeDef.Builder call(String name, String function, List<String> inputs, List<DataType> in,
            List<DataType> out) {
        return node(name, "StatefulPartitionedCall", inputs.toArray(String[]::new))
                .putAttr("Tin", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(in))
                        .build())
                .putAttr("Tout", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(out))
                        .build())
                .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(function)).build());
    }

    private static List<DataType> floats(int arguments) {
        List<DataType> types = new ArrayList<>(List.of(DataType.DT_FLOAT));
        for (int i = 1; i < arguments; i++) {
            types.add(DataType.DT_RESOURCE);
        }
        return types;
    }

    static NodeDef.Builder strings(String name, List<String> values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder()
                        .setSize(values.size())));
        values.forEach(v -> tensor.addStringVal(ByteString.copyFromUtf8(v)));
        return node(name, "Const").putAttr("dtype", type(DataType.DT_STRING))
                .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build());
    }

    static OpDef.ArgDef arg(String name, DataType type) {
        return OpDef.ArgDef.newBuilder().setName(name).setType(type).build();
    }

    static AttrValue type(DataType type) {
        return AttrValue.newBuilder().setType(type).build();
    }

    private static AttrValue text(String value) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(value)).build();
    }

    private static AttrValue shape(long[] dims) {
        return AttrValue.newBuilder().setShape(shapeProto(dims)).build();
    }

    private static TensorShapeProto shapeProto(long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return shape.build();
    }

    private static TensorInfo tensorInfo(String name, long[] dims) {
        TensorInfo.Builder info = TensorInfo.newBuilder().setName(name).setDtype(DataType.DT_FLOAT);
        if (dims != null) {
            info.setTensorShape(shapeProto(dims));
        } else {
            info.setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
                    .addDim(TensorShapeProto.Dim.newBuilder().setSize(10)));
        }
        return info.build();
    }

    static String sanitize(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
}
