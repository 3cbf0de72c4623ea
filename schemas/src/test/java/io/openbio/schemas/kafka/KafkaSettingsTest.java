package io.openbio.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
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

    /** What Kafka Streams derives from a stage's properties for one stream thread's consumers. */
    private static StreamsConfig streamsConfig(Properties props) {
        return new StreamsConfig(props);
    }

    @Test
    void withAnInstanceIdEachStreamThreadJoinsAsAStaticMemberOfItsOwnName() {
        Properties props = KafkaSettings.membership(settings.streams("openbio-digest"), "digest-0", 7000);
        StreamsConfig config = streamsConfig(props);
        Map<String, Object> thread0 = config.getMainConsumerConfigs("openbio-digest", "c-0", 0);
        Map<String, Object> thread1 = config.getMainConsumerConfigs("openbio-digest", "c-1", 1);
        // Kafka Streams suffixes the thread index: unique per thread, the same again after a restart
        assertThat(thread0).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "digest-0-0")
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 7000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1400);
        assertThat(thread1).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "digest-0-1");
        // only the group's consumer: the restore and global consumers are in no group
        assertThat(config.getRestoreConsumerConfigs("r")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(config.getGlobalConsumerConfigs("g")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void withoutAnInstanceIdMembershipIsDynamicWithTheDefaultSessionTimeout() {
        Map<String, Object> thread0 = streamsConfig(settings.streams("openbio-digest")).getMainConsumerConfigs("openbio-digest", "c-0", 0);
        assertThat(thread0).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2000);
        assertThat(streamsConfig(KafkaSettings.membership(settings.streams("openbio-digest"), "  ", 10000))
                .getMainConsumerConfigs("openbio-digest", "c-0", 0)).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void anInstanceIdThatIsNoNameOrANonPositiveTimeoutIsRefused() {
        assertThatThrownBy(() -> KafkaSettings.membership(new Properties(), "pod 1", 10000))
                .hasMessageContaining("OPENBIO_PROCESSOR_INSTANCE_ID");
        assertThatThrownBy(() -> KafkaSettings.membership(new Properties(), "pod-1", 0))
                .hasMessageContaining("OPENBIO_STREAMS_SESSION_TIMEOUT_MS");
    }

    @Test
    void streamThreadsRebalanceCooperatively() throws Exception {
        // a peer keeps processing the partitions it keeps while a dead member's move (no stop-the-world rebalance)
        Object strategy = streamsConfig(settings.streams("openbio-digest")).getMainConsumerConfigs("openbio-digest", "c-0", 0)
                .get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        String name = strategy instanceof Class<?> type ? type.getName() : String.valueOf(strategy);
        org.apache.kafka.clients.consumer.ConsumerPartitionAssignor assignor = (org.apache.kafka.clients.consumer.ConsumerPartitionAssignor)
                Class.forName(name).getDeclaredConstructor().newInstance();
        assertThat(assignor.supportedProtocols())
                .containsExactly(org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol.COOPERATIVE);
    }
}
