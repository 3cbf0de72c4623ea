package io.openbio.gateway.api.audit;

import io.openbio.events.AuditEvent;
import io.openbio.gateway.config.PipelineConfig.GatewayInstance;
import io.openbio.gateway.pipeline.PipelineException;
import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads audit records back from {@link Topics#AUDIT}: a stateless scan per call, fine for
 * operations use, not a query engine.
 *
 * <p>Each call opens a short-lived consumer (read_committed, no consumer group, nothing committed),
 * assigns every partition of the audit topic, seeks each to the first record whose timestamp is
 * at or after {@code since} minus {@code openbio.audit.seek-slack} (1 h: a record's timestamp is
 * about its request's creation, the filter is on its completion), and reads up to the end offsets
 * taken when the call started, for at most {@code openbio.audit.scan-timeout} (5 s). What it
 * could not read within that bound makes the answer {@code truncated}. Matching records are kept
 * in a bounded heap of {@code limit} (the newest by {@code completedAt}), so memory does not grow
 * with the range. At most 2 scans run at once per gateway; more are answered 429.
 */
@Component
public class AuditScan {
    private static final Logger log = LoggerFactory.getLogger(AuditScan.class);
    private static final Comparator<AuditEvent> OLDEST_FIRST = Comparator.comparing(AuditEvent::getCompletedAt)
            .thenComparing(AuditEvent::getRequestId);

    private final KafkaSettings settings;
    private final EventSerdes serdes;
    private final String clientPrefix;
    private final Duration timeout;
    private final Duration seekSlack;
    private final Semaphore running = new Semaphore(2);
    private final AtomicLong calls = new AtomicLong();

    /** What to find: the tenant's records with {@code since <= completedAt < until}, optionally one request id / operation. */
    public record Query(String tenant, String requestId, String operation, Instant since, Instant until, int limit) {
        boolean matches(AuditEvent event) {
            Instant completed = event.getCompletedAt();
            return tenant.equals(event.getTenant())
                    && (requestId == null || requestId.equals(event.getRequestId()))
                    && (operation == null || operation.equals(event.getOperation()))
                    && completed != null && !completed.isBefore(since) && completed.isBefore(until);
        }
    }

    /** The matching records, newest first; {@code truncated} when more matched than the limit or the scan ran out of time. */
    public record Page(List<AuditEvent> records, boolean truncated) {
    }

    public AuditScan(KafkaSettings settings, EventSerdes serdes, GatewayInstance instance,
                     @Value("${openbio.audit.scan-timeout:5s}") Duration timeout,
                     @Value("${openbio.audit.seek-slack:1h}") Duration seekSlack) {
        this.settings = settings;
        this.serdes = serdes;
        this.clientPrefix = "gateway-audit-" + instance.id() + "-";
        this.timeout = timeout;
        this.seekSlack = seekSlack;
    }

    public Page scan(Query query) {
        if (!running.tryAcquire()) {
            throw new PipelineException(429, "too many audit scans in progress; retry shortly", null);
        }
        try {
            return read(query);
        } catch (KafkaException e) {
            throw new PipelineException(503, "the audit topic could not be read", e);
        } finally {
            running.release();
        }
    }

    private Page read(Query query) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = settings.consumer(null, clientPrefix + calls.incrementAndGet());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // Audit records are small (no images): modest fetches keep a long scan's memory low.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()));
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()));
        String topic = Topics.AUDIT.name();
        PriorityQueue<AuditEvent> kept = new PriorityQueue<>(OLDEST_FIRST);
        long matched = 0;
        int undecodable = 0;
        try (KafkaConsumer<String, AuditEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                Topics.AUDIT.valueSerde(serdes).deserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
            if (infos == null || infos.isEmpty()) {
                return new Page(List.of(), false);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, remaining(deadline));
            long from = Math.max(0, query.since().minus(seekSlack).toEpochMilli());
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, from));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, remaining(deadline));
            Map<TopicPartition, Long> todo = new HashMap<>();
            Map<TopicPartition, Long> seekTo = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                Long end = ends.get(tp);
                if (start != null && end != null && start.offset() < end) {
                    todo.put(tp, end);
                    seekTo.put(tp, start.offset());
                }
            }
            consumer.assign(todo.keySet());
            seekTo.forEach(consumer::seek);
            while (!todo.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<String, AuditEvent> records;
                try {
                    records = consumer.poll(min(Duration.ofMillis(200), remaining(deadline)));
                } catch (RecordDeserializationException e) {
                    undecodable++;
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, AuditEvent> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    Long end = todo.get(tp);
                    AuditEvent event = record.value();
                    if (end == null || record.offset() >= end || event == null || !query.matches(event)) {
                        continue;
                    }
                    matched++;
                    kept.add(event);
                    if (kept.size() > query.limit()) {
                        kept.poll();
                    }
                }
                for (TopicPartition tp : Set.copyOf(todo.keySet())) {
                    if (consumer.position(tp, remaining(deadline)) >= todo.get(tp)) {
                        todo.remove(tp);
                        consumer.pause(Set.of(tp));
                    }
                }
            }
            if (undecodable > 0) {
                log.warn("audit scan skipped {} record(s) of {} that could not be decoded", undecodable, topic);
            }
            if (!todo.isEmpty()) {
                log.info("audit scan stopped after {} ms with {} partition(s) not read to the end; answered as truncated",
                        timeout.toMillis(), todo.size());
            }
            List<AuditEvent> newestFirst = new ArrayList<>(kept);
            newestFirst.sort(OLDEST_FIRST.reversed());
            return new Page(newestFirst, matched > query.limit() || !todo.isEmpty());
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(Duration.ofMillis(1).toNanos(), deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
