package io.prunestream.pruner.service;

import io.prunestream.events.PruningMethod;
import io.quarkus.arc.All;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of {@link VariantMethod}s: every family the application holds, in {@link VariantMethod#order}. At
 * start-up it checks that each method of {@link PruningMethod} but {@code dense} is served by exactly one family, so a
 * method cannot be configured that nothing makes.
 */
@Singleton
public final class VariantMethods {

    private final List<VariantMethod> families;

    VariantMethods(@All List<VariantMethod> found) {
        Map<PruningMethod, VariantMethod> served = new EnumMap<>(PruningMethod.class);
        for (VariantMethod family : found) {
            for (PruningMethod method : family.methods()) {
                VariantMethod earlier = served.put(method, family);
                if (earlier != null) {
                    throw new IllegalStateException("method " + method.wireName() + " is made by both "
                            + earlier.getClass().getSimpleName() + " and " + family.getClass().getSimpleName());
                }
            }
        }
        for (PruningMethod method : PruningMethod.values()) {
            if (method != PruningMethod.DENSE && !served.containsKey(method)) {
                throw new IllegalStateException("method " + method.wireName() + " has no VariantMethod to make it");
            }
        }
        List<VariantMethod> ordered = new ArrayList<>(found);
        ordered.sort(Comparator.comparingInt(VariantMethod::order));
        this.families = List.copyOf(ordered);
    }

    /** Every family, in order. */
    public List<VariantMethod> all() {
        return families;
    }
}
