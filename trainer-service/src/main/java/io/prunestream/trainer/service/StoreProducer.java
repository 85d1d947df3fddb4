package io.prunestream.trainer.service;

import io.prunestream.trainer.config.TrainerConfig;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.storeconfig.ModelStores;
import io.prunestream.storeconfig.ObjectStoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one model store of the service, for every bean that reads or writes models: a folder, or a bucket. */
@ApplicationScoped
public class StoreProducer {

    @Produces
    @Singleton
    ModelStore store(TrainerConfig config, ObjectStoreConfig objects) throws ModelStoreException {
        return ModelStores.open(config.modelStore(), objects);
    }

    void close(@Disposes ModelStore store) {
        store.close();
    }
}
