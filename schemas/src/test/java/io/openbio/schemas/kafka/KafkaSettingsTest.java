package io.openbio.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    private final KafkaSettings settings = new KafkaSettings("localhost:9092", "http://localhost:8081", 0, 1,
            Path.of("target/state"), (short) 1, KafkaSecurity.NONE);

    @Test
    void everyConsumerReadsCommittedOnly() {
        assertThat(settings.consumer("g", "c")).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Object> reply = settings.replyConsumer("g", "c");
        assertThat(reply).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    }
}
