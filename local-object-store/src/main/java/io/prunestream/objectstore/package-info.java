/** A real S3 protocol server on a local folder (S3Proxy), for tests and {@code ./run-local.sh --object-store}. */
package io.prunestream.objectstore;
