package io.prunestream.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void acceptsEveryConfiguredKeyAndNothingElse() {
        ApiKeys keys = ApiKeys.of(List.of("first-key-0123456789", " second-key-0123456789 "));
        assertThat(keys.accepts("first-key-0123456789")).isTrue();
        assertThat(keys.accepts("second-key-0123456789")).as("surrounding blanks do not count").isTrue();
        assertThat(keys.accepts("first-key-012345678")).isFalse();
        assertThat(keys.accepts("")).isFalse();
        assertThat(keys.accepts(null)).isFalse();
    }

    @Test
    void anEmptyListOrAShortKeyIsRefusedWithoutShowingTheKey() {
        assertThatThrownBy(() -> ApiKeys.of(List.of()))
                .hasMessageContaining("prunestream.api-auth.keys is empty")
                .hasMessageContaining("PRUNESTREAM_API_AUTH_KEYS");
        assertThatThrownBy(() -> ApiKeys.of(List.of("long-enough-key-0123", "short")))
                .hasMessage("prunestream.api-auth.keys: key 2 of 2 has 5 characters; at least 16 are needed"
                        + " (for example: openssl rand -hex 32)")
                .message().doesNotContain("short");
    }
}
