package io.prunestream.events;

import java.time.Instant;

/**
 * What every event carries. {@code runId} is the Kafka key, so all events of one run land on one partition
 * and stay ordered; consumers deduplicate on {@code eventId}.
 */
public sealed interface PipelineEvent permits CheckpointEvent, VariantEvent, EvaluationEvent {

    /** The only schema version this code reads and writes. */
    int SCHEMA_VERSION = 1;

    String eventId();

    EventType eventType();

    int schemaVersion();

    String runId();

    Instant occurredAt();
}
