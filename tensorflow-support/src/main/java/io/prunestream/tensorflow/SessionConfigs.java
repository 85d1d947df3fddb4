package io.prunestream.tensorflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/** TensorFlow session settings, serialized as DJL's {@code ConfigProto} model option takes them (base64). */
public final class SessionConfigs {

    /** The CPU flags of a CPU that does bfloat16 dot products natively. */
    private static final Set<String> BFLOAT16_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    private SessionConfigs() {
    }

    /**
     * A session whose graph is rewritten by oneDNN's auto mixed precision: convolutions and matrix products in
     * bfloat16, accumulated in float32, with casts at their edges. Only CPU nodes are rewritten.
     */
    public static String bfloat16() {
        return Base64.getEncoder().encodeToString(bfloat16Config().toByteArray());
    }

    /** {@link #bfloat16()} as the config a plain TensorFlow session takes. */
    public static ConfigProto bfloat16Config() {
        ConfigProto.Builder config = ConfigProto.newBuilder();
        config.getGraphOptionsBuilder().getRewriteOptionsBuilder()
                .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
        return config.build();
    }

    /**
     * Whether this machine's CPU has bfloat16 instructions (Linux's {@code /proc/cpuinfo} flags name AVX512-BF16 or
     * AMX-BF16); false where the flags cannot be read. Without them oneDNN emulates bfloat16, slower than float32.
     */
    public static boolean cpuHasBfloat16() {
        return cpuHasBfloat16(Path.of("/proc/cpuinfo"));
    }

    static boolean cpuHasBfloat16(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            Set<String> flags = lines.filter(line -> line.startsWith("flags"))
                    .flatMap(line -> Pattern.compile("\\s+").splitAsStream(line.substring(line.indexOf(':') + 1)))
                    .collect(Collectors.toSet());
            return flags.stream().anyMatch(BFLOAT16_FLAGS::contains);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
