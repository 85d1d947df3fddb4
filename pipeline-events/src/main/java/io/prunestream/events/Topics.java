package io.prunestream.events;

import java.util.List;

/**
 * Topic names and the dead-letter conventions. Services configure their channels with these names; the local
 * broker and the deployments create exactly these topics.
 */
public final class Topics {

    public static final String CHECKPOINTS = "checkpoints";
    public static final String VARIANTS = "variants";
    public static final String EVALUATIONS = "evaluations";

    /** Suffix of each topic's dead-letter topic: {@code checkpoints} has {@code checkpoints-dlq}. */
    public static final String DEAD_LETTER_SUFFIX = "-dlq";

    /**
     * Header holding why a record was dead-lettered. It is the header SmallRye Reactive Messaging's
     * {@code dead-letter-queue} failure strategy writes, so records dead-lettered by any service read alike.
     */
    public static final String DEAD_LETTER_REASON_HEADER = "dead-letter-reason";

    /**
     * Largest record a dead-letter topic takes (its {@code max.message.bytes}, and the dead-letter producers'
     * {@code max.request.size}). A record refused for its size must still be moved unchanged, and an operator may
     * have let the source topic take more than the broker's 1 MB default, so the dead-letter topics allow 64 MiB.
     */
    public static final int DEAD_LETTER_MAX_BYTES = 64 * 1024 * 1024;

    private Topics() {
    }

    public static String deadLetterTopic(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    /** Every topic of the pipeline, dead-letter topics included, in creation order. */
    public static List<String> all() {
        return List.of(CHECKPOINTS, deadLetterTopic(CHECKPOINTS), VARIANTS, deadLetterTopic(VARIANTS),
                EVALUATIONS, deadLetterTopic(EVALUATIONS));
    }
}
