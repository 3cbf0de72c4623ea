package io.openbio.testkit;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.serde.EventSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * TopologyTestDriver for the stage topologies, with the plain Avro serdes the unit tests use (no
 * registry): {@code try (Drivers.Driver d = Drivers.start(topology)) { d.input(TOPIC).pipeInput(..);
 * assertThat(Drivers.readAll(d.output(OUT))).containsExactly(..); }}. Each driver has its own state
 * folder, removed when the driver closes.
 */
public final class Drivers {
    /** The serdes every topology under test is built with (and its topics are read with). */
    public static final EventSerdes SERDES = EventSerdes.unregistered();

    /** The application id of {@link #start(Topology)}'s drivers; it prefixes changelog and repartition topics. */
    public static final String APPLICATION_ID = "topology-test";

    /** A fixed wall-clock start for tests whose expectations depend on time only through the driver. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private Drivers() {
    }

    /**
     * A driver whose wall clock starts now: the stage tests' events carry {@code Instant.now()}
     * (createdAt, capture times), and stages compare those with the wall clock.
     */
    public static Driver start(Topology topology) {
        return new Driver(topology, APPLICATION_ID, Instant.now());
    }

    /**
     * A driver with application id {@code applicationId}, for tests that name the internal topics
     * (a stage's changelog is {@code <application id>-<store>-changelog}); wall clock starts now.
     */
    public static Driver start(String applicationId, Topology topology) {
        return new Driver(topology, applicationId, Instant.now());
    }

    /** A driver whose wall clock starts at {@code wallClockStart} (e.g. {@link #START}) and moves only when advanced. */
    public static Driver start(Topology topology, Instant wallClockStart) {
        return new Driver(topology, APPLICATION_ID, wallClockStart);
    }

    /** Everything {@code output} holds now, in order, as key-value pairs (the output is then empty). */
    public static <K, V> List<KeyValue<K, V>> readAll(TestOutputTopic<K, V> output) {
        return output.readKeyValuesToList();
    }

    /** Everything {@code output} holds now, the last value per key (the output is then empty). */
    public static <K, V> Map<K, V> readAllByKey(TestOutputTopic<K, V> output) {
        return output.readKeyValuesToMap();
    }

    /** A TopologyTestDriver with typed topic helpers and its own state folder, deleted on close. */
    public static final class Driver extends TopologyTestDriver {
        private final Path stateDir;

        private Driver(Topology topology, String applicationId, Instant wallClockStart) {
            this(topology, applicationId, newStateDir(), wallClockStart);
        }

        private Driver(Topology topology, String applicationId, Path stateDir, Instant wallClockStart) {
            super(topology, properties(applicationId, stateDir), wallClockStart);
            this.stateDir = stateDir;
        }

        /** This driver's Kafka Streams state folder (deleted by {@link #close}). */
        public Path stateDir() {
            return stateDir;
        }

        /** A producer to {@code topic}, with its key serde and the plain Avro value serde. */
        public <V extends SpecificRecord> TestInputTopic<String, V> input(TopicSpec<V> topic) {
            return createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde(SERDES).serializer());
        }

        /** A consumer of {@code topic}, with its key serde and the plain Avro value serde. */
        public <V extends SpecificRecord> TestOutputTopic<String, V> output(TopicSpec<V> topic) {
            return output(topic.name(), topic);
        }

        /**
         * A consumer of topic {@code name} carrying {@code like}'s keys and values, for topics named
         * at run time (a gateway's reply topic carries RESULTS' events).
         */
        public <V extends SpecificRecord> TestOutputTopic<String, V> output(String name, TopicSpec<V> like) {
            return createOutputTopic(name, like.keySerde().deserializer(), like.valueSerde(SERDES).deserializer());
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                deleteRecursively(stateDir);
            }
        }
    }

    private static Path newStateDir() {
        try {
            return Files.createTempDirectory("openbio-topology-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties(String applicationId, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
