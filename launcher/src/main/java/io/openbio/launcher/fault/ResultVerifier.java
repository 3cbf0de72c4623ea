package io.openbio.launcher.fault;

import io.openbio.events.CallbackDelivery;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The exactly-once verifier, in the spirit of Kafka Streams' EOS system test: reads the durable
 * result topic (read_committed, so only committed transactions count) from the beginning and
 * counts results per request id; every accepted request must have exactly one. It also reads the
 * callback delivery records. Reads are incremental: each {@link #poll()} continues where the last
 * stopped.
 */
final class ResultVerifier implements AutoCloseable {
    private final KafkaConsumer<String, ResultEvent> results;
    private final KafkaConsumer<String, CallbackDelivery> deliveries;
    private final Map<String, Integer> resultCounts = new HashMap<>();
    private final Map<String, ResultEvent> firstResult = new HashMap<>();
    private final List<CallbackDelivery> deliveryRecords = new ArrayList<>();

    ResultVerifier(KafkaSettings settings) {
        EventSerdes serdes = settings.serdes();
        results = consumer(settings, Topics.RESULTS, serdes);
        deliveries = consumer(settings, Topics.CALLBACK_DELIVERIES, serdes);
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, V> consumer(KafkaSettings settings, TopicSpec<V> topic, EventSerdes serdes) {
        Map<String, Object> config = settings.consumer(null, "fault-verifier-" + topic.name());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde(serdes).deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Reads whatever was committed since the last call (until the end offsets seen now). */
    synchronized void poll() {
        drain(results, record -> {
            if (record.value() != null) {
                resultCounts.merge(record.value().getRequestId(), 1, Integer::sum);
                firstResult.putIfAbsent(record.value().getRequestId(), record.value());
            }
        });
        drain(deliveries, record -> {
            if (record.value() != null) {
                deliveryRecords.add(record.value());
            }
        });
    }

    private static <V> void drain(KafkaConsumer<String, V> consumer, Consumer<ConsumerRecord<String, V>> sink) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            boolean behind = false;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                    behind = true;
                    break;
                }
            }
            if (!behind) {
                return;
            }
            consumer.poll(Duration.ofMillis(500)).forEach(sink);
        }
    }

    /** Polls until every id in {@code expected} has a result or the deadline passes; returns the missing ones. */
    List<String> awaitResults(Collection<String> expected, Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        List<String> missing;
        do {
            poll();
            missing = expected.stream().filter(id -> !resultCounts.containsKey(id)).toList();
            if (missing.isEmpty()) {
                return missing;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < until);
        return missing;
    }

    synchronized int results(String requestId) {
        return resultCounts.getOrDefault(requestId, 0);
    }

    synchronized ResultEvent result(String requestId) {
        return firstResult.get(requestId);
    }

    /** Every request id read so far with its first result (completion time, reply topic, stage traces). */
    synchronized Map<String, ResultEvent> firstResults() {
        return Map.copyOf(firstResult);
    }

    synchronized List<CallbackDelivery> deliveries() {
        return List.copyOf(deliveryRecords);
    }

    @Override
    public void close() {
        results.close();
        deliveries.close();
    }
}
