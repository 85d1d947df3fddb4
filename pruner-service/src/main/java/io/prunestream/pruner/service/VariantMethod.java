package io.prunestream.pruner.service;

import io.prunestream.events.PruningMethod;
import java.util.List;
import java.util.Set;

/**
 * One family of pruning methods, in the one shape every method has: given a checkpoint ({@link CheckpointWork}), the
 * variants it will make of it ({@link #plan}), each with the writer that makes it. Planning checks everything the
 * checkpoint asks of the family, so a refusal comes before any variant of the checkpoint is written. The families
 * are found and ordered by {@link VariantMethods}; a new family is one new class.
 */
public interface VariantMethod {

    /** The methods of {@code pruner.methods} this family makes variants for. */
    Set<PruningMethod> methods();

    /**
     * Where the family's variants come in a checkpoint's, lower first: the quick ones first, so that their scoring
     * overlaps the slower ones' pruning.
     */
    int order();

    /**
     * The variants of {@code work}'s checkpoint, in the order they are written; empty when the family makes none of
     * it (no method of it configured, a network it does not apply to, calibration data out of reach).
     */
    List<PlannedVariant> plan(CheckpointWork work) throws PruneFailure;
}
