package io.prunestream.pruner.api;

/** The body of every error response. */
public record ApiError(int status, String error) {
}
