package io.openbio.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.bundle.KeyResolver;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog is the pipeline contract: every contract stage is created from its implementation
 * class, and the topology it builds reads exactly the topics the contract says it reads (streams
 * and tables) and writes exactly the topics it says it writes, reply topics aside (so health, lag
 * watching, routes and the deployment files, which all read the contract, describe what really
 * runs). Building a topology loads no
 * model: the analyzers are only used when records arrive.
 */
class ProcessorCatalogTest {
    private static final EventSerdes SERDES = EventSerdes.unregistered();
    private static final ProcessorSettings SETTINGS = ProcessorSettings.defaults();

    static Stream<Stage> stages() {
        return Pipeline.stages().stream();
    }

    @Test
    void namesAreTheContractsStagesInItsOrder() {
        assertThat(ProcessorCatalog.names()).isEqualTo(Pipeline.stageNames()).doesNotHaveDuplicates().hasSize(21);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void createsEachStageAsItsContractEntry(Stage stage) {
        StreamProcessor processor = ProcessorCatalog.create(stage.name(), SETTINGS);

        assertThat(processor.getClass().getName()).isEqualTo(stage.implementation());
        assertThat(processor.stage()).isSameAs(stage);
        assertThat(processor.name()).isEqualTo(stage.name());
        assertThat(processor.applicationId()).isEqualTo("openbio-" + stage.name()).isEqualTo(stage.applicationId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void topologyReadsExactlyTheContractsReadsAndTablesAndWritesExactlyItsWrites(Stage stage) {
        TopologyDescription topology = ProcessorCatalog.create(stage.name(), SETTINGS).topology(SERDES).describe();

        Set<String> sources = new TreeSet<>();
        Set<String> sinks = new TreeSet<>();
        boolean replies = false;
        for (TopologyDescription.Subtopology sub : topology.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicPattern() != null) {
                    // only the Kafka-clients stage subscribes by pattern: every tenant's request topic (ACL by prefix)
                    assertThat(stage).isEqualTo(io.openbio.schemas.contract.ClientsContract.STAGE);
                    assertThat(source.topicPattern().matcher(io.openbio.schemas.contract.ClientsContract.requests("acme").name()).matches()).isTrue();
                    assertThat(source.topicPattern().matcher(Topics.CAPTURE_REQUESTS.name()).matches()).isFalse();
                } else if (node instanceof TopologyDescription.Source source) {
                    sources.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink) {
                    if (sink.topic() != null) {
                        sinks.add(sink.topic());
                    } else {
                        replies = true; // the gateway instance's reply topic, chosen per result
                    }
                }
            }
        }
        for (TopologyDescription.GlobalStore global : topology.globalStores()) {
            sources.addAll(global.source().topicSet());
        }
        // a stage's own repartition topics (<application id>-<name>-repartition) are internal, not the contract's
        sources.removeIf(ProcessorCatalogTest::repartitionTopic);
        sinks.removeIf(ProcessorCatalogTest::repartitionTopic);

        assertThat(sources).as("%s: topics its topology consumes", stage.name())
                .isEqualTo(names(Stream.concat(stage.reads().stream(), stage.tables().stream())));
        assertThat(sinks).as("%s: topics its topology produces to", stage.name())
                .isNotEmpty()
                .isEqualTo(names(stage.writes().stream()));
        assertThat(replies).as("%s: answers on reply topics exactly when it writes results", stage.name())
                .isEqualTo(sinks.contains(Topics.RESULTS.name()));
    }

    /**
     * Every store of the platform's stages is persistent (RocksDB, changelogged): a stage keeps state
     * exactly when its contract Deployment gives it a state volume, so the generated k8s and compose
     * files mount one where the topology needs it (DeploymentManifestsTest checks the mounts).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void keepsStateStoresExactlyWhenTheContractGivesItAStateVolume(Stage stage) {
        TopologyDescription topology = ProcessorCatalog.create(stage.name(), SETTINGS).topology(SERDES).describe();
        Set<String> stores = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        topology.globalStores().forEach(global -> stores.addAll(global.processor().stores()));
        assertThat(!stores.isEmpty()).as("%s: state stores %s", stage.name(), stores).isEqualTo(stage.deployment().stateful());
    }

    /**
     * A stage opens the capture-bundle key store exactly when its contract Deployment mounts it: the
     * stages that decrypt bundles take the server's keys as a {@code Supplier<KeyResolver>} (by default
     * {@code ServerKeys::shared}, the one {@code BundleKeys.open()} of the process); the kafka-clients
     * stage, which serves the active public key, takes a {@code Supplier<BundleKeyStore>}. Read from the
     * implementation's constructors (reflection, no source reading), so the contract, from which
     * the k8s and compose mounts are generated, is right about which stages need the key store.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void takesTheBundleKeysExactlyWhenTheContractMountsThem(Stage stage) throws ClassNotFoundException {
        Class<?> type = Class.forName(stage.implementation());
        boolean takesKeys = Stream.of(type.getConstructors())
                .flatMap(c -> Stream.of(c.getGenericParameterTypes()))
                .anyMatch(t -> t instanceof ParameterizedType p && p.getRawType() == Supplier.class
                        && (p.getActualTypeArguments()[0] == KeyResolver.class
                        || p.getActualTypeArguments()[0] == io.openbio.bundle.BundleKeyStore.class));
        assertThat(takesKeys).as("%s: takes a Supplier<KeyResolver> (or, for the public key only, a Supplier<BundleKeyStore>)", stage.name())
                .isEqualTo(stage.deployment().bundleKeys());
    }

    @Test
    void stagesGetTheSettingsTheCatalogIsGiven() {
        ProcessorSettings settings = new ProcessorSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), java.util.List.of(Duration.ofMillis(10)),
                Duration.ofSeconds(1), "", "", 1234, 2, 0);
        assertThat(ProcessorCatalog.create(EkycContract.SEARCH.name(), settings).configOverrides())
                .containsEntry("main.consumer.max.poll.interval.ms", 1234);
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProcessorCatalog.create("no-such-stage"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-stage").hasMessageContaining("digest");
    }

    private static Set<String> names(Stream<TopicSpec<?>> topics) {
        return topics.map(TopicSpec::name).filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A Kafka Streams repartition topic as a topology description names it (without the application id). */
    private static boolean repartitionTopic(String topic) {
        return topic.endsWith("-repartition") && !topic.startsWith("openbio.");
    }
}
