/** Kafka: consuming checkpoint and variant events, publishing evaluation events. */
package io.prunestream.evaluator.messaging;
