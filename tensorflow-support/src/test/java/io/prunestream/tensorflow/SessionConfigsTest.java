package io.prunestream.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/** The bfloat16 session config as DJL receives it, and the CPU flags that allow it. */
class SessionConfigsTest {

    @Test
    void theBfloat16ConfigTurnsOnOneDnnAutoMixedPrecisionAndNothingElse() throws Exception {
        ConfigProto config = ConfigProto.parseFrom(Base64.getDecoder().decode(SessionConfigs.bfloat16()));
        assertThat(config.getGraphOptions().getRewriteOptions().getAutoMixedPrecisionOnednnBfloat16())
                .isEqualTo(RewriterConfig.Toggle.ON);
        assertThat(config.getIntraOpParallelismThreads()).isZero();
        assertThat(config.hasGpuOptions()).isFalse();
    }

    @Test
    void onlyACpuFlaggedForBfloat16HasIt(@TempDir Path folder) throws Exception {
        Path zen4 = Files.writeString(folder.resolve("zen4"), "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16"
                + " avx512_vnni\n\nprocessor\t: 1\nflags\t\t: fpu avx2 avx512f avx512_bf16\n");
        Path sapphire = Files.writeString(folder.resolve("spr"), "flags\t: avx512f amx_bf16 amx_tile\n");
        Path skylake = Files.writeString(folder.resolve("skylake"), "flags\t: fpu avx2 avx512f avx512_vnni\n");
        assertThat(SessionConfigs.cpuHasBfloat16(zen4)).isTrue();
        assertThat(SessionConfigs.cpuHasBfloat16(sapphire)).isTrue();
        assertThat(SessionConfigs.cpuHasBfloat16(skylake)).isFalse();
        assertThat(SessionConfigs.cpuHasBfloat16(folder.resolve("absent"))).isFalse();
    }

    @Test
    void anInstructionSetCapBelowBfloat16TakesItAway() {
        assertThat(SessionConfigs.isaAllowsBfloat16(null)).isTrue();
        assertThat(SessionConfigs.isaAllowsBfloat16("ALL")).isTrue();
        assertThat(SessionConfigs.isaAllowsBfloat16("avx512_core_bf16")).isTrue();
        assertThat(SessionConfigs.isaAllowsBfloat16("AVX512_CORE_AMX")).isTrue();
        assertThat(SessionConfigs.isaAllowsBfloat16("AVX2_VNNI")).isFalse();
        assertThat(SessionConfigs.isaAllowsBfloat16("AVX512_CORE")).isFalse();
    }
}
