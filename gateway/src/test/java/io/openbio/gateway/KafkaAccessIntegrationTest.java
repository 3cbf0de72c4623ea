package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.PlatformContract;
import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.kafka.KafkaSecurity;
import io.openbio.schemas.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data plane refuses whoever the pipeline contract does not name, over the wired platform's real
 * broker (SASL_SSL only, ACLs from {@link KafkaAccess}): an anonymous client (plaintext, TLS without
 * SASL, a wrong password) gets nothing, and a stage (the callback stage) or the gateway reading the
 * decrypted capture images, a topic neither owns, is refused, while the stage reads its own input.
 */
class KafkaAccessIntegrationTest {
    static WiredPlatform platform;
    static final String FOREIGN = Topics.CAPTURE_DECRYPTED.name();

    @BeforeAll
    static void start() throws Exception {
        platform = WiredPlatform.get();
        assertThat(PlatformContract.CALLBACK.inputs()).doesNotContain(Topics.CAPTURE_DECRYPTED);
    }

    private static Map<String, Object> adminConfig(Map<String, Object> security) {
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.put("bootstrap.servers", platform.settings.bootstrapServers());
        config.put("request.timeout.ms", 3000);
        config.put("default.api.timeout.ms", 6000);
        return config;
    }

    @Test
    void anAnonymousPlaintextClientGetsNothing() {
        try (Admin admin = Admin.create(adminConfig(Map.of("security.protocol", "PLAINTEXT")))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
        }
    }

    @Test
    void aTlsClientWithoutSaslGetsNothing() {
        Map<String, Object> security = Map.of("security.protocol", "SSL", "ssl.truststore.type", "PEM",
                "ssl.truststore.location", platform.settings.security().truststore().toString());
        try (Admin admin = Admin.create(adminConfig(security))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(KafkaAccess.GATEWAY), "not-the-password");
        KafkaSecurity impostor = new KafkaSecurity(KafkaSecurity.SASL_SSL, dir, platform.settings.security().truststore(),
                KafkaAccess.GATEWAY);
        try (Admin admin = Admin.create(adminConfig(impostor.clientConfig()))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aStageReadsItsOwnTopicButNotAnotherStagesTopic() {
        KafkaSettings callback = platform.settings.asUser(KafkaAccess.stagePrincipal(PlatformContract.CALLBACK));
        try (KafkaConsumer<String, byte[]> own = consumer(callback)) {
            TopicPartition results = new TopicPartition(Topics.RESULTS.name(), 0);
            own.assign(List.of(results));
            own.seekToBeginning(List.of(results));
            own.poll(Duration.ofSeconds(2));
            assertThat(own.position(results)).isGreaterThanOrEqualTo(0);
        }
        try (KafkaConsumer<String, byte[]> foreign = consumer(callback)) {
            foreign.assign(List.of(new TopicPartition(FOREIGN, 0)));
            assertThatThrownBy(() -> foreign.poll(Duration.ofSeconds(5))).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aStageCannotWriteAnotherStagesTopic() {
        KafkaSettings callback = platform.settings.asUser(KafkaAccess.stagePrincipal(PlatformContract.CALLBACK));
        Map<String, Object> config = callback.producer("kafka-access-test");
        config.put("max.block.ms", 5000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, null, new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.CAPTURE_REQUESTS.name(), "k", new byte[1]))
                    .get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theGatewayCannotReadTheImagesItPublished() {
        assertThat(CaptureContract.PRODUCT.topics()).contains(Topics.CAPTURE_DECRYPTED);
        try (KafkaConsumer<String, byte[]> gateway = consumer(platform.settings.asUser(KafkaAccess.GATEWAY))) {
            gateway.assign(List.of(new TopicPartition(Topics.CAPTURE_REQUESTS.name(), 0)));
            assertThatThrownBy(() -> gateway.poll(Duration.ofSeconds(5))).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theBrokerHoldsExactlyTheContractsAclsAndReapplyingRemovesStaleOnes() throws Exception {
        String stale = "User:openbio-removed-stage";
        try (Admin admin = Admin.create(platform.settings.admin())) {
            admin.createAcls(List.of(new org.apache.kafka.common.acl.AclBinding(
                    new org.apache.kafka.common.resource.ResourcePattern(org.apache.kafka.common.resource.ResourceType.TOPIC,
                            Topics.CAPTURE_DECRYPTED.name(), org.apache.kafka.common.resource.PatternType.LITERAL),
                    new org.apache.kafka.common.acl.AccessControlEntry(stale, "*", org.apache.kafka.common.acl.AclOperation.READ,
                            org.apache.kafka.common.acl.AclPermissionType.ALLOW)))).all().get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    "openbio-removed-stage", new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096), "x"))).all().get(30, TimeUnit.SECONDS);

            KafkaAccess.apply(admin, platform.settings.security());

            java.util.Collection<org.apache.kafka.common.acl.AclBinding> present = admin.describeAcls(
                    org.apache.kafka.common.acl.AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
            assertThat(present).containsExactlyInAnyOrderElementsOf(KafkaAccess.acls());
            List<String> users = admin.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS);
            List<String> expected = new java.util.ArrayList<>(KafkaAccess.principals());
            expected.add(KafkaAccess.ADMIN);
            assertThat(users).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaSettings settings) {
        Map<String, Object> config = settings.consumer(null, "kafka-access-test");
        config.put("enable.auto.commit", false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
