package io.prunestream.objectstore;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LocalObjectStore} until killed: what {@code scripts/local-stack.sh} starts for
 * {@code ./run-local.sh --object-store}. Arguments: folder, port, bucket. The access key pair comes from the
 * environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), the same the services read, so that it is
 * never on a command line that {@code ps} shows.
 */
public final class LocalObjectStoreMain {

    private LocalObjectStoreMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LocalObjectStoreMain <folder> <port> <bucket>");
            System.exit(2);
        }
        String identity = System.getenv("AWS_ACCESS_KEY_ID");
        String credential = System.getenv("AWS_SECRET_ACCESS_KEY");
        if (identity == null || credential == null) {
            System.err.println("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set");
            System.exit(2);
        }
        long started = System.nanoTime();
        LocalObjectStore store = LocalObjectStore.start(Path.of(args[0]), Integer.parseInt(args[1]), identity,
                credential, args[2]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                store.close();
            } catch (Exception e) {
                System.err.println("local-object-store: stopping: " + e);
            }
        }));
        System.out.printf("local-object-store: ready on %s in %.1f s (bucket %s, data in %s)%n", store.endpoint(),
                (System.nanoTime() - started) / 1e9, args[2], store.dir());
        new CountDownLatch(1).await();
    }
}
