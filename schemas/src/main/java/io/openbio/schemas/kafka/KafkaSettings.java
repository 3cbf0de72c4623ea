package io.openbio.schemas.kafka;

import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.serde.EventSerdes;
import io.openbio.schemas.settings.Setting;
import io.openbio.schemas.settings.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one place where Kafka client configuration is made, for the gateway, every processor, the
 * launcher and the tests. Values come from system properties, then environment variables, then
 * the local defaults (all of them in {@link Settings}, the platform's one list of settings):
 *
 * <table>
 * <tr><th>property</th><th>environment</th><th>default</th></tr>
 * <tr><td>openbio.kafka.bootstrap</td><td>OPENBIO_KAFKA_BOOTSTRAP</td><td>localhost:9092</td></tr>
 * <tr><td>openbio.registry.url</td><td>OPENBIO_REGISTRY_URL</td><td>http://localhost:8081/apis/registry/v2</td></tr>
 * <tr><td>openbio.streams.commit-interval-ms</td><td>OPENBIO_STREAMS_COMMIT_INTERVAL_MS</td><td>0</td></tr>
 * <tr><td>openbio.streams.threads</td><td>OPENBIO_STREAMS_THREADS</td><td>1</td></tr>
 * <tr><td>openbio.streams.state-dir</td><td>OPENBIO_STREAMS_STATE_DIR</td><td>java.io.tmpdir/openbio-streams</td></tr>
 * <tr><td>openbio.kafka.replication</td><td>OPENBIO_KAFKA_REPLICATION</td><td>1</td></tr>
 * <tr><td>openbio.kafka.security-protocol</td><td>OPENBIO_KAFKA_SECURITY_PROTOCOL</td><td>SASL_SSL</td></tr>
 * <tr><td>openbio.kafka.credentials-dir</td><td>OPENBIO_KAFKA_CREDENTIALS_DIR</td><td>none</td></tr>
 * <tr><td>openbio.kafka.truststore</td><td>OPENBIO_KAFKA_TRUSTSTORE</td><td>none</td></tr>
 * </table>
 *
 * <p>Security ({@link KafkaSecurity}): every client authenticates with SCRAM-SHA-512 over TLS.
 * {@link #admin()}, {@link #producer} and {@link #consumer} act as this process's principal
 * ({@link #asUser}); {@link #streams} acts as the stage whose application id it is given, so each
 * stage hosted in a shared JVM keeps its own principal and the broker's ACLs
 * ({@link KafkaAccess}) confine it to the topics the pipeline contract gives it.
 *
 * <p>Latency choices: producers send at once ({@code linger.ms=0}); Kafka Streams runs
 * {@code exactly_once_v2} with {@code commit.interval.ms=0}: read_committed readers see a stage's
 * output only after its commit, and Streams commits only when more than the interval has passed since
 * its last commit check (which every loop makes, idle ones too), so with 5 ms a record processed soon
 * after a check stayed in an open transaction until the thread's next poll returned (next record or
 * {@code poll.ms}). 0 commits after every processing pass: capture at 5 req/s p50 73-74 ms instead of
 * 83-92 ms, diagnostic one at a time 94 instead of 117 ms (BENCHMARKS.md, issue 15). What a hop still
 * costs is the transaction itself (flush, offsets, commit round trips), per commit.
 */
public record KafkaSettings(String bootstrapServers, String registryUrl, int commitIntervalMs,
                            int streamThreads, Path stateDir, short replication, KafkaSecurity security) {

    /** With the security of the environment ({@link KafkaSecurity#fromEnvironment()}). */
    public KafkaSettings(String bootstrapServers, String registryUrl, int commitIntervalMs, int streamThreads, Path stateDir,
                         short replication) {
        this(bootstrapServers, registryUrl, commitIntervalMs, streamThreads, stateDir, replication, KafkaSecurity.fromEnvironment());
    }

    public static KafkaSettings fromEnvironment() {
        return new KafkaSettings(
                setting(Settings.KAFKA_BOOTSTRAP),
                setting(Settings.REGISTRY_URL),
                Integer.parseInt(setting(Settings.STREAMS_COMMIT_INTERVAL_MS)),
                Integer.parseInt(setting(Settings.STREAMS_THREADS)),
                Path.of(setting(Settings.STREAMS_STATE_DIR,
                        Path.of(System.getProperty("java.io.tmpdir"), "openbio-streams").toString())),
                Short.parseShort(setting(Settings.KAFKA_REPLICATION)),
                KafkaSecurity.fromEnvironment());
    }

    /** Same settings, another broker and registry (tests). */
    public KafkaSettings with(String bootstrap, String registry) {
        return new KafkaSettings(bootstrap, registry, commitIntervalMs, streamThreads, stateDir, replication, security);
    }

    /** Same settings, clients acting as Kafka principal {@code principal} (see {@link KafkaAccess}). */
    public KafkaSettings asUser(String principal) {
        return with(security.asUser(principal));
    }

    /** Same settings, another security (tests). */
    public KafkaSettings with(KafkaSecurity security) {
        return new KafkaSettings(bootstrapServers, registryUrl, commitIntervalMs, streamThreads, stateDir, replication, security);
    }

    /** A system property, else the environment variable of the same name (upper case, '.' and '-' as '_'). */
    public static String setting(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** {@code setting}: its system property, else its environment variable, else its default (null where none is fixed). */
    public static String setting(Setting setting) {
        return setting(setting, setting.defaultValue());
    }

    /** {@code setting}: its system property, else its environment variable, else {@code fallback}. */
    public static String setting(Setting setting, String fallback) {
        String value = setting.property() == null ? null : System.getProperty(setting.property());
        if (value == null || value.isBlank()) {
            value = System.getenv(setting.env());
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public EventSerdes serdes() {
        return EventSerdes.registry(registryUrl);
    }

    public Map<String, Object> admin() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(security.clientConfig());
        return config;
    }

    /** Idempotent producer, String keys; the caller passes the value serializer. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> config = admin();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, PayloadLimits.MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    /** Consumer that sees only committed transactional output, String keys. */
    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> config = admin();
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, PayloadLimits.MAX_MESSAGE_BYTES);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * PayloadLimits.MAX_MESSAGE_BYTES);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return config;
    }

    /** The gateway's reply listener: a {@link #consumer} with its own fetch wait ({@code OPENBIO_GATEWAY_REPLY_FETCH_MAX_WAIT_MS}). */
    public Map<String, Object> replyConsumer(String groupId, String clientId) {
        Map<String, Object> config = consumer(groupId, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.parseInt(setting(Settings.GATEWAY_REPLY_FETCH_MAX_WAIT_MS)));
        return config;
    }

    /** Kafka Streams configuration for one processor (its application id is its consumer group). */
    public Properties streams(String applicationId) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // the stage's own principal, whoever else this JVM hosts
        props.putAll(security.clientConfig(KafkaAccess.principalOfApplication(applicationId)));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        // a warm copy of every stateful task on another instance (none is placed while the stage runs alone):
        // a survivor takes over a dead instance's stores without restoring them (the search shards' indexes too)
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.parseInt(setting(Settings.STREAMS_STANDBY_REPLICAS)));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(applicationId).toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), PayloadLimits.MAX_MESSAGE_BYTES);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), PayloadLimits.MAX_MESSAGE_BYTES);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 4 * PayloadLimits.MAX_MESSAGE_BYTES);
        props.put(StreamsConfig.POLL_MS_CONFIG, Integer.parseInt(setting(Settings.STREAMS_POLL_MS)));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), Integer.parseInt(setting(Settings.STREAMS_FETCH_MAX_WAIT_MS)));
        membership(props, setting(Settings.PROCESSOR_INSTANCE_ID, ""),
                Integer.parseInt(setting(Settings.STREAMS_SESSION_TIMEOUT_MS)));
        props.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class);
        return props;
    }

    /**
     * How a stage's stream threads belong to its consumer group (RELIABILITY.md "Two of everything").
     * The session timeout ({@code OPENBIO_STREAMS_SESSION_TIMEOUT_MS}, 10 s instead of Kafka's 45 s)
     * is how long a killed instance keeps its partitions before the group hands them to its peers;
     * heartbeats every fifth of it. With an instance id ({@code OPENBIO_PROCESSOR_INSTANCE_ID}) the
     * threads are static members: Kafka Streams makes each main consumer's {@code group.instance.id}
     * {@code <id>-<thread index>}, so an instance that comes back under the same id within the session
     * timeout takes its partitions back without a rebalance (and without moving its peers' tasks);
     * a graceful close still leaves the group ({@code ProcessorRuntime#close}). Blank: dynamic
     * membership, Kafka's default. Either way Kafka Streams' assignor rebalances cooperatively (a
     * peer keeps processing the partitions it keeps while the dead member's move).
     *
     * @param instanceId       the instance's stable name, unique among the stage's instances, or blank
     * @param sessionTimeoutMs at least the broker's {@code group.min.session.timeout.ms} (6000 by default)
     */
    public static Properties membership(Properties props, String instanceId, int sessionTimeoutMs) {
        if (sessionTimeoutMs < 1) {
            throw new IllegalArgumentException(Settings.STREAMS_SESSION_TIMEOUT_MS.env() + " must be positive: " + sessionTimeoutMs);
        }
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), sessionTimeoutMs);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), Math.max(500, sessionTimeoutMs / 5));
        if (instanceId != null && !instanceId.isBlank()) {
            String id = instanceId.trim();
            if (!id.matches("[A-Za-z0-9._-]{1,200}")) {
                throw new IllegalArgumentException(Settings.PROCESSOR_INSTANCE_ID.env()
                        + " must be 1-200 letters, digits, '.', '_' or '-': '" + id + "'");
            }
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id);
        }
        return props;
    }
}
