/**
 * The model store in a bucket: {@code s3://} locations, the S3 calls with their retries and named faults, folders
 * made visible by a manifest written last, and the local copies under a size cap.
 */
package io.prunestream.store.s3;
