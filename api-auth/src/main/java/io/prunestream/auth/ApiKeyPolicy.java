package io.prunestream.auth;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Which requests need a key, and which keys are accepted: the runtime configuration, read and checked when the
 * service starts, so that a misconfiguration stops the service instead of letting every request through or none.
 */
@Startup
@ApplicationScoped
public class ApiKeyPolicy {

    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Logger LOG = Logger.getLogger(ApiKeyPolicy.class);

    private final boolean enabled;
    private final List<String> paths;
    private final List<String> readPaths;
    private final ApiKeys keys;

    ApiKeyPolicy(ApiAuthConfig config) {
        this.enabled = config.enabled();
        this.paths = config.paths();
        this.readPaths = config.readPaths();
        this.keys = enabled ? ApiKeys.of(config.keys().orElse(List.of())) : null;
        if (enabled) {
            LOG.infof("API keys required for POST, PUT, PATCH and DELETE under %s, for every request under %s", paths,
                    readPaths);
        }
    }

    boolean protects(String method, String path) {
        return enabled && ((CHANGING.contains(method) && under(paths, path)) || under(readPaths, path));
    }

    private static boolean under(List<String> prefixes, String path) {
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    boolean accepts(String presented) {
        return keys != null && keys.accepts(presented);
    }
}
