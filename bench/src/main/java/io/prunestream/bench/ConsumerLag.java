package io.prunestream.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag on one topic: records on the broker that the group has not committed yet, summed over the
 * topic's partitions. A partition the group never committed counts from its first offset, as the services start
 * from the earliest record.
 */
final class ConsumerLag {

    private final Admin admin;
    private final String group;
    private final List<TopicPartition> partitions;

    ConsumerLag(Admin admin, String group, List<TopicPartition> partitions) {
        this.admin = admin;
        this.group = group;
        this.partitions = List.copyOf(partitions);
    }

    long now() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> end = offsets(OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(OffsetSpec.earliest());
        long lag = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata done = committed.get(partition);
            long from = done == null ? start.get(partition) : done.offset();
            lag += Math.max(0, end.get(partition) - from);
        }
        return lag;
    }

    private Map<TopicPartition, Long> offsets(OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
