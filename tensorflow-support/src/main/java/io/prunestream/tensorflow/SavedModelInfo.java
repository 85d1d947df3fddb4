package io.prunestream.tensorflow;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a SavedModel's {@code saved_model.pb} says (tag {@code serve}): its signatures, the keys and data types of
 * every tensor its checkpoint holds (in the order the model's own restore op lists them), which float variables
 * conv and dense ops consume as weights, in graph order, and the op types of the graph and the functions it calls
 * (sorted).
 */
public record SavedModelInfo(Path directory, Map<String, SignatureInfo> signatures,
        Map<String, String> checkpointDtypes, List<PrunableKernel> prunableKernels, Set<String> opsSeen) {

    public SavedModelInfo {
        signatures = Map.copyOf(signatures);
        checkpointDtypes = Collections.unmodifiableMap(new LinkedHashMap<>(checkpointDtypes));
        prunableKernels = List.copyOf(prunableKernels);
        opsSeen = Collections.unmodifiableSet(new TreeSet<>(opsSeen));
    }

    public SignatureInfo signature(String key) throws TensorFlowException {
        SignatureInfo signature = signatures.get(key);
        if (signature == null) {
            throw new TensorFlowException("SavedModel " + directory + " has no signature '" + key + "' (it has "
                    + signatures.keySet() + ")");
        }
        return signature;
    }
}
