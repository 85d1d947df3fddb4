package io.prunestream.store.s3;

import io.prunestream.store.ModelStoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/key} URI taken apart: a folder (a key prefix, kept without its trailing slash) or one
 * object. Only names every S3-compatible store accepts get through: a DNS-style bucket and a key without {@code .}
 * or {@code ..} segments, query or fragment, so that a cached copy's local path cannot leave its cache.
 */
public record S3Location(String bucket, String key) {

    /** The S3 naming rules: 3 to 63 lower-case letters, digits, dots and hyphens, starting with a letter or digit. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KEY_SEGMENT = Pattern.compile("[A-Za-z0-9!_.*'()=+,@-]+");

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket '" + bucket + "' is not a valid S3 bucket name");
        }
        if (key == null) {
            throw new IllegalArgumentException("key of s3://" + bucket + " is missing");
        }
    }

    /** Whether {@code uri} has the {@code s3:} scheme (the file store keeps the others). */
    public static boolean isS3(String uri) {
        return uri != null && uri.regionMatches(true, 0, "s3://", 0, 5);
    }

    /**
     * Parses {@code s3://bucket/a/b/} (a folder; the trailing slash optional) or {@code s3://bucket} (its root).
     *
     * @throws ModelStoreException with {@code OUTSIDE_STORE}, naming the URI and what is wrong with it
     */
    public static S3Location parse(String uri) throws ModelStoreException {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw refused(uri, "is not a valid URI: " + e.getMessage());
        }
        if (!"s3".equalsIgnoreCase(parsed.getScheme()) || parsed.isOpaque()) {
            throw refused(uri, "is not an s3://bucket/prefix URI");
        }
        if (parsed.getRawQuery() != null || parsed.getRawFragment() != null || parsed.getRawUserInfo() != null) {
            throw refused(uri, "has a query, fragment or user part");
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath();
        String key = path.startsWith("/") ? path.substring(1) : path;
        key = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        for (String segment : key.isEmpty() ? new String[0] : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || !KEY_SEGMENT.matcher(segment).matches()) {
                throw refused(uri, "has the key segment '" + segment + "' (allowed: letters, digits and"
                        + " !_.*'()=+,@-; no '.' or '..' or empty segment)");
            }
        }
        try {
            return new S3Location(parsed.getHost(), key);
        } catch (IllegalArgumentException e) {
            throw refused(uri, e.getMessage());
        }
    }

    /** A location below this one; {@code relative} uses '/' and is already checked by the caller. */
    public S3Location child(String relative) {
        return new S3Location(bucket, key.isEmpty() ? relative : key + "/" + relative);
    }

    /** The key prefix that lists this folder's objects and nothing beside it. */
    public String folderPrefix() {
        return key.isEmpty() ? "" : key + "/";
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }

    private static ModelStoreException refused(String uri, String why) {
        return new ModelStoreException(ModelStoreException.Problem.OUTSIDE_STORE, "modelUri '" + uri + "' " + why,
                null);
    }
}
