package io.prunestream.storeconfig;

import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.store.s3.ObjectStore;
import io.prunestream.store.s3.ObjectStoreSettings;
import java.nio.file.Path;
import java.util.Set;

/** Opens the model store a service's configuration names: its own folder, and the bucket if one is set. */
public final class ModelStores {

    private ModelStores() {
    }

    /**
     * The store at {@code root} (the service's {@code model-store}); with a bucket configured, the folder keeps only
     * the service's local copies and the bucket is where models live.
     *
     * @throws IllegalArgumentException naming the bad setting
     */
    public static ModelStore open(Path root, ObjectStoreConfig config) throws ModelStoreException {
        if (config.bucket().isEmpty()) {
            return new ModelStore(root);
        }
        return new ModelStore(root, ObjectStore.open(settings(config)));
    }

    static ObjectStoreSettings settings(ObjectStoreConfig config) {
        return new ObjectStoreSettings(config.bucket().orElseThrow(), config.prefix().orElse(""), config.endpoint(),
                config.region(), config.pathStyle(), config.readableBuckets().orElse(Set.of()),
                config.cacheBytes().asLongValue(), config.partBytes().asLongValue(), config.retryFor());
    }
}
