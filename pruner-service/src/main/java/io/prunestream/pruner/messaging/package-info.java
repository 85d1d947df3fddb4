/** Kafka: consuming checkpoint events, publishing variant events (and checkpoint events for uploads). */
package io.prunestream.pruner.messaging;
