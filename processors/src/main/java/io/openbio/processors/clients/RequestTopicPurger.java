package io.openbio.processors.clients;

import io.openbio.schemas.contract.ClientsContract;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteRecordsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shortens how long what a Kafka client produced stays on the broker: every {@link #INTERVAL}, the
 * log start offset of each tenant request topic partition is advanced to the {@code kafka-clients}
 * stage's committed offset ({@code Admin.deleteRecords}), the way Kafka Streams purges its own
 * repartition topics. A committed offset means every record before it was processed and its outputs
 * committed in the same transaction (exactly-once), so nothing the stage still needs is deleted; a
 * restarted stage resumes at that offset. The topic's 1-hour retention stays the bound when this
 * cannot run (the broker refuses, the stage is down). Needs DELETE on the request topics (by prefix,
 * {@code KafkaAccess}).
 */
final class RequestTopicPurger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestTopicPurger.class);
    /** How often the request topics are purged up to the committed offsets. */
    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final String group;
    private final ScheduledExecutorService timer;
    private final Map<TopicPartition, Long> purged = new HashMap<>();
    private boolean warned;

    private RequestTopicPurger(Admin admin, String group) {
        this.admin = admin;
        this.group = group;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, group + "-request-purger");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts purging the request topics read by the Streams application of {@code streamsConfig}, as its principal. */
    static RequestTopicPurger start(Properties streamsConfig) {
        StreamsConfig config = new StreamsConfig(streamsConfig);
        String group = config.getString(StreamsConfig.APPLICATION_ID_CONFIG);
        RequestTopicPurger purger = new RequestTopicPurger(Admin.create(config.getAdminConfigs(group + "-request-purger")), group);
        purger.timer.scheduleWithFixedDelay(purger::purgeQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return purger;
    }

    private void purgeQuietly() {
        try {
            purgeOnce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (!warned) {
                warned = true;
                log.warn("{}: the request topics could not be purged up to the committed offsets ({}); their retention"
                        + " ({} ms) bounds how long requests stay", group, cause.toString(), ClientsContract.REQUEST_RETENTION_MS);
            }
        }
    }

    /** One pass: every request topic partition with a committed offset beyond what was purged is purged up to it. */
    void purgeOnce() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin
                .listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null && ClientsContract.tenantOfRequestTopic(partition.topic()).isPresent()
                    && offset.offset() > purged.getOrDefault(partition, 0L)) {
                delete.put(partition, RecordsToDelete.beforeOffset(offset.offset()));
            }
        });
        if (delete.isEmpty()) {
            return;
        }
        DeleteRecordsResult result = admin.deleteRecords(delete);
        for (Map.Entry<TopicPartition, RecordsToDelete> entry : delete.entrySet()) {
            result.lowWatermarks().get(entry.getKey()).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            purged.put(entry.getKey(), entry.getValue().beforeOffset());
        }
        warned = false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
