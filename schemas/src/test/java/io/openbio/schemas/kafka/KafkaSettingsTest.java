package io.openbio.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    private final KafkaSettings settings = new KafkaSettings("localhost:9092", "http://localhost:8081", 0, 1,
            Path.of("target/state"), (short) 1, KafkaSecurity.NONE);

    @Test
    void stagesAndOtherConsumersReadCommitted() {
        assertThat(settings.consumer("g", "c")).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    @Test
    void theReplyListenerReadsUncommittedByDefault() {
        Map<String, Object> reply = settings.replyConsumer("g", "c");
        assertThat(reply).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    @Test
    void replyIsolationIsOneOfTheTwoLevels() {
        assertThat(KafkaSettings.replyIsolation(" READ_COMMITTED ")).isEqualTo("read_committed");
        assertThat(KafkaSettings.replyIsolation("read_uncommitted")).isEqualTo("read_uncommitted");
        assertThatThrownBy(() -> KafkaSettings.replyIsolation("uncommitted"))
                .hasMessageContaining("OPENBIO_GATEWAY_REPLY_ISOLATION");
    }
}
