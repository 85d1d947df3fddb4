package io.prunestream.kafka;

import io.prunestream.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates the pipeline's topics (and their dead-letter topics) where they do not exist yet. */
public final class PipelineTopics {

    private PipelineTopics() {
    }

    /**
     * @param partitions partitions of each topic: pruners and evaluators scale out up to this many replicas
     * @return the topics that were created (the others existed)
     */
    public static List<String> create(String bootstrapServers, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: " + partitions + " must be at least 1");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : Topics.all()) {
                if (!existing.contains(topic)) {
                    NewTopic created = new NewTopic(topic, partitions, (short) 1);
                    if (topic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
                        created.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                Integer.toString(Topics.DEAD_LETTER_MAX_BYTES)));
                    }
                    missing.add(created);
                }
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the pipeline topics on " + bootstrapServers + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics on " + bootstrapServers, e);
        }
    }
}
