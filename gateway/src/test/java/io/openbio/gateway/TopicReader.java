package io.openbio.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads raw records of a topic from the beginning (read_committed), as a third-party client would. */
public final class TopicReader {
    private TopicReader() {
    }

    public static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, String topic,
                                                                 Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                                 Duration timeout) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024));
        // the wired broker takes authenticated clients only: this one acts as admin
        config.putAll(WiredPlatform.adminSecurity());
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                if (done.test(seen)) {
                    break;
                }
            }
        }
        return seen;
    }

    public static ConsumerRecord<String, byte[]> find(String bootstrap, String topic, String key, Duration timeout) {
        return readUntil(bootstrap, topic, records -> records.stream().anyMatch(r -> key.equals(r.key())), timeout)
                .stream().filter(r -> key.equals(r.key())).findFirst().orElse(null);
    }
}
