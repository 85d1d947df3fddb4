package io.prunestream.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The three event types, each with its record class, its topic and its JSON Schema. */
public enum EventType {
    CHECKPOINT("checkpoint", CheckpointEvent.class, Topics.CHECKPOINTS),
    VARIANT("variant", VariantEvent.class, Topics.VARIANTS),
    EVALUATION("evaluation", EvaluationEvent.class, Topics.EVALUATIONS);

    private final String wireName;
    private final Class<? extends PipelineEvent> recordClass;
    private final String topic;

    EventType(String wireName, Class<? extends PipelineEvent> recordClass, String topic) {
        this.wireName = wireName;
        this.recordClass = recordClass;
        this.topic = topic;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public Class<? extends PipelineEvent> recordClass() {
        return recordClass;
    }

    /** The topic this event type is published to. */
    public String topic() {
        return topic;
    }

    /** The classpath resource of the JSON Schema (a copy of {@code docs/schemas/<type>.schema.json}). */
    public String schemaResource() {
        return "/schemas/" + wireName + ".schema.json";
    }

    public static EventType of(Class<? extends PipelineEvent> recordClass) {
        for (EventType type : values()) {
            if (type.recordClass.equals(recordClass)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not an event record: " + recordClass.getName());
    }

    public static EventType fromWireName(String wireName) {
        for (EventType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown eventType '" + wireName + "'");
    }
}
