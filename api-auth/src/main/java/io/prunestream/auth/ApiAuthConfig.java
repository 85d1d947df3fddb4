package io.prunestream.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** {@code prunestream.api-auth.*}: who may call the endpoints that change state or hand out models. */
@ConfigMapping(prefix = "prunestream.api-auth")
public interface ApiAuthConfig {

    /** Off for local runs; on, every state-changing request under {@link #paths()} needs a key. */
    @WithDefault("false")
    boolean enabled();

    /**
     * The accepted keys (several, so that one can be rotated without downtime); at least
     * {@value ApiKeys#MIN_LENGTH} characters each. From a secret: {@code PRUNESTREAM_API_AUTH_KEYS=k1,k2}.
     */
    Optional<List<String>> keys();

    /** Path prefixes whose POST, PUT, PATCH and DELETE requests need a key. */
    @WithDefault("/runs,/checkpoints,/datasets")
    List<String> paths();

    /**
     * Path prefixes whose every request needs a key, reads included: what hands out models (the pruned SavedModels
     * under {@code /variants}) is as private as what takes them in.
     */
    @WithDefault("/variants")
    List<String> readPaths();
}
