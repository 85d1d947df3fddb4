/**
 * A real Apache Kafka broker (single node, KRaft) started from the Kafka jars: in-process for tests, through
 * {@link io.prunestream.kafka.KafkaTestResource} (or Testcontainers' Kafka when a Docker engine answers), and as
 * its own process for the local run ({@link io.prunestream.kafka.LocalKafka}). Services use this module in test scope
 * only: their packages carry no broker, Scala or log4j jars.
 */
package io.prunestream.kafka;
