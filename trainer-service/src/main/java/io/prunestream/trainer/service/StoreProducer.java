package io.prunestream.trainer.service;

import io.prunestream.trainer.config.TrainerConfig;
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
    ModelStore store(TrainerConfig config) throws ModelStoreException {
        return new ModelStore(config.modelStore());
    }
}
