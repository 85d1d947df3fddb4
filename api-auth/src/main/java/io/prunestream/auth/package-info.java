/**
 * API keys for the endpoints that change state ({@code POST /runs}, {@code POST /checkpoints},
 * {@code POST /datasets}): off by default for local runs; when on, a request must carry one of the configured keys
 * ({@code Authorization: Bearer <key>} or {@code X-API-Key}). A Quarkus library: the services depend on it, it
 * depends on none of them.
 */
package io.prunestream.auth;
