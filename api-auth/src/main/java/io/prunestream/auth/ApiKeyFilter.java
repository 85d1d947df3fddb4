package io.prunestream.auth;

import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a state-changing request under a protected path unless it carries an accepted key, as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. Reading (GET) stays open: results and reports are
 * what the pipeline is for. RESTEasy Reactive builds filters before the runtime configuration exists, so the policy
 * comes in as a proxy that is resolved on the first request.
 */
@Singleton
public class ApiKeyFilter {

    public static final String HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";
    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);

    private final ApiKeyPolicy policy;

    ApiKeyFilter(ApiKeyPolicy policy) {
        this.policy = policy;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!policy.protects(request.getMethod(), path)) {
            return Optional.empty();
        }
        String presented = request.getHeaderString(HEADER);
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (presented == null && authorization != null && authorization.startsWith(BEARER)) {
            presented = authorization.substring(BEARER.length());
        }
        if (policy.accepts(presented)) {
            return Optional.empty();
        }
        String why = presented == null ? "no API key (send 'Authorization: Bearer <key>' or '" + HEADER + ": <key>')"
                : "the API key is not one of prunestream.api-auth.keys";
        LOG.warnf("refused %s %s: %s", request.getMethod(), path, why);
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"prunestream\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", request.getMethod() + " " + path + ": " + why))
                .build());
    }
}
