package io.prunestream.tensorflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
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

    /** The oneDNN instruction-set caps that still include bfloat16 dot products (oneDNN's own names). */
    private static final Pattern BFLOAT16_ISAS = Pattern.compile("ALL|DEFAULT|.*(BF16|AMX|FP16|AVX10).*");

    /**
     * Whether this machine's CPU has bfloat16 instructions (Linux's {@code /proc/cpuinfo} flags name AVX512-BF16 or
     * AMX-BF16) and oneDNN may use them; false where the flags cannot be read. Without them oneDNN emulates bfloat16,
     * slower than float32, and where {@code ONEDNN_MAX_CPU_ISA} caps oneDNN below them (as the tests do on AMD Zen 5,
     * whose AVX-512 convolution kernels crash) it cannot build a bfloat16 convolution at all.
     */
    public static boolean cpuHasBfloat16() {
        return cpuHasBfloat16(Path.of("/proc/cpuinfo")) && isaAllowsBfloat16(System.getenv("ONEDNN_MAX_CPU_ISA"));
    }

    static boolean isaAllowsBfloat16(String cap) {
        return cap == null || cap.isBlank() || BFLOAT16_ISAS.matcher(cap.strip().toUpperCase(Locale.ROOT)).matches();
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
