package io.prunestream.tensorflow.graph;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** The values of {@code Const} nodes: strings (checkpoint keys) and integers (permutations, shapes). */
public final class GraphConstants {

    private GraphConstants() {
    }

    /** The integers of a {@code Const} node of type int32 or int64, or null when {@code node} is no such constant. */
    static long[] integers(NodeDef node) {
        if (node == null || !node.getOp().equals("Const") || !node.getAttrMap().containsKey("value")) {
            return null;
        }
        TensorProto tensor = node.getAttrOrThrow("value").getTensor();
        DataType type = tensor.getDtype();
        if (type != DataType.DT_INT32 && type != DataType.DT_INT64) {
            return null;
        }
        long count = elements(tensor.getTensorShape());
        if (!tensor.getTensorContent().isEmpty()) {
            ByteBuffer bytes = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] values = new long[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = type == DataType.DT_INT32 ? bytes.getInt() : bytes.getLong();
            }
            return values;
        }
        List<Long> listed = new ArrayList<>();
        if (type == DataType.DT_INT32) {
            tensor.getIntValList().forEach(v -> listed.add((long) v));
        } else {
            listed.addAll(tensor.getInt64ValList());
        }
        // A constant of one repeated value may store it once.
        long[] values = new long[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = listed.isEmpty() ? 0 : listed.get(Math.min(i, listed.size() - 1));
        }
        return values;
    }

    /**
     * The strings of a constant tensor. Python writes them as {@code string_val}; the C API (and so TensorFlow Java)
     * packs them into {@code tensor_content}: one varint length per element, then the bytes of all elements.
     */
    public static List<String> strings(TensorProto tensor) throws IOException {
        List<String> values = new ArrayList<>();
        tensor.getStringValList().forEach(value -> values.add(value.toStringUtf8()));
        if (!values.isEmpty() || tensor.getTensorContent().isEmpty()) {
            return values;
        }
        ByteString content = tensor.getTensorContent();
        CodedInputStream in = content.newCodedInput();
        int[] lengths = new int[Math.toIntExact(elements(tensor.getTensorShape()))];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = in.readRawVarint32();
        }
        for (int length : lengths) {
            values.add(new String(in.readRawBytes(length), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static long elements(TensorShapeProto shape) {
        long count = 1;
        for (TensorShapeProto.Dim dim : shape.getDimList()) {
            count = Math.multiplyExact(count, dim.getSize());
        }
        return count;
    }
}
