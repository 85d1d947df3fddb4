package io.prunestream.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/** Creates a SCRAM user on a running broker, as {@code kafka-configs.sh --alter --add-config SCRAM-SHA-512=...}. */
final class ScramUsers {

    /** Kafka's default and minimum iteration count for SCRAM-SHA-512. */
    private static final int ITERATIONS = 4096;

    private ScramUsers() {
    }

    static void create(String bootstrapServers, BrokerSecurity security) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(security.user(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), security.password())))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create SCRAM user " + security.user() + " on "
                    + bootstrapServers + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM user " + security.user(), e);
        }
    }
}
