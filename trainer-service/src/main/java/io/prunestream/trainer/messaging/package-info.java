/** Kafka: publishing checkpoint events, keyed by run id, and waiting for the broker's acknowledgement. */
package io.prunestream.trainer.messaging;
