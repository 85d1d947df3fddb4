package io.prunestream.evaluator.service;

import ai.djl.Device;
import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.events.Precision;
import io.prunestream.tensorflow.SessionConfigs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * How every model is run: in the precision {@code evaluator.precision} asks for. bfloat16 applies to CPU scoring
 * only (a GPU runs the model as saved, and its events say float32), and is refused at start on a CPU that would only
 * emulate it.
 */
@ApplicationScoped
public class ScoringSession {

    private final Precision configured;

    @Inject
    ScoringSession(EvaluatorConfig config) {
        this(config.precision());
    }

    ScoringSession(Precision configured) {
        this.configured = configured;
    }

    /** The precision models run in on {@code device}. */
    Precision precision(Device device) {
        return device.isGpu() ? Precision.FLOAT32 : configured;
    }

    /** DJL's model options for {@code device}: the session config of the precision; none for float32. */
    Map<String, String> options(Device device) {
        return precision(device) == Precision.BFLOAT16 ? Map.of("ConfigProto", SessionConfigs.bfloat16()) : Map.of();
    }

    /** Refuses bfloat16 on a CPU without bfloat16 instructions, naming the key. */
    void requireUsable(Device device) {
        if (precision(device) == Precision.BFLOAT16 && !SessionConfigs.cpuHasBfloat16()) {
            throw new IllegalStateException("evaluator.precision: bfloat16 needs a CPU with AVX512-BF16 or AMX, and"
                    + " this one's flags name neither, or ONEDNN_MAX_CPU_ISA caps oneDNN below them (TensorFlow"
                    + " would emulate it, slower than float32, or fail); set float32");
        }
    }
}
