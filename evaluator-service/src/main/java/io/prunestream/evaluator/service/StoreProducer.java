package io.prunestream.evaluator.service;

import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one model store of the service, for every bean that reads or writes models. */
@ApplicationScoped
public class StoreProducer {

    @Produces
    @Singleton
    ModelStore store(EvaluatorConfig config) throws ModelStoreException {
        return new ModelStore(config.modelStore());
    }
}
