package io.prunestream.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** The accepted keys, kept as SHA-256 digests and compared in constant time, so that timing tells nothing. */
final class ApiKeys {

    static final int MIN_LENGTH = 16;

    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = digests;
    }

    /** @throws IllegalArgumentException naming the problem (never the key itself) */
    static ApiKeys of(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("prunestream.api-auth.enabled is true but prunestream.api-auth.keys"
                    + " is empty: set PRUNESTREAM_API_AUTH_KEYS to one or more keys, comma-separated");
        }
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).strip().length() < MIN_LENGTH) {
                throw new IllegalArgumentException("prunestream.api-auth.keys: key " + (i + 1) + " of "
                        + keys.size() + " has " + keys.get(i).strip().length() + " characters; at least "
                        + MIN_LENGTH + " are needed (for example: openssl rand -hex 32)");
            }
        }
        return new ApiKeys(keys.stream().map(key -> digest(key.strip())).toList());
    }

    boolean accepts(String presented) {
        if (presented == null || presented.isBlank()) {
            return false;
        }
        byte[] digest = digest(presented.strip());
        boolean match = false;
        for (byte[] accepted : digests) {
            match |= MessageDigest.isEqual(accepted, digest);
        }
        return match;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
