package io.prunestream.tensorflow.graph;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/** Which library function a node calls, if any. */
final class FunctionCalls {

    private FunctionCalls() {
    }

    /**
     * The function a {@code StatefulPartitionedCall}/{@code PartitionedCall} names in its {@code f} attribute; for any
     * other node, its op, which may itself be a library function's name (how TF1 graphs call functions). Callers
     * check the name against the library.
     */
    static String callee(NodeDef node) {
        if (node.getOp().equals("StatefulPartitionedCall") || node.getOp().equals("PartitionedCall")) {
            AttrValue f = node.getAttrMap().get("f");
            return f == null ? null : f.getFunc().getName();
        }
        return node.getOp();
    }
}
