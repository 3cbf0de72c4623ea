package io.openbio.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.GatewayAccess;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Route;
import io.openbio.schemas.contract.Stage;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

    private static Set<String> names(List<AclBinding> acls, ResourceType type, PatternType pattern, AclOperation operation) {
        return acls.stream()
                .filter(a -> a.pattern().resourceType() == type && a.pattern().patternType() == pattern
                        && a.entry().operation() == operation)
                .map(a -> a.pattern().name())
                .collect(Collectors.toSet());
    }

    private static Set<String> topicNames(List<TopicSpec<?>> topics) {
        return topics.stream().map(TopicSpec::name).collect(Collectors.toSet());
    }

    @Test
    void eachStageReadsExactlyItsInputsAndWritesExactlyItsOutputs() {
        for (Stage stage : Pipeline.stages()) {
            List<AclBinding> acls = KafkaAccess.stageAcls(stage);
            String app = stage.applicationId();
            assertThat(acls).allSatisfy(a -> {
                assertThat(a.entry().principal()).isEqualTo("User:" + app);
                assertThat(a.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
                assertThat(a.entry().host()).isEqualTo("*");
            });
            assertThat(names(acls, ResourceType.TOPIC, PatternType.LITERAL, AclOperation.READ))
                    .as(stage.name()).isEqualTo(topicNames(stage.inputs()));
            assertThat(names(acls, ResourceType.TOPIC, PatternType.LITERAL, AclOperation.WRITE))
                    .as(stage.name()).isEqualTo(topicNames(stage.writes()));
            boolean clients = stage.equals(io.openbio.schemas.contract.ClientsContract.STAGE);
            assertThat(names(acls, ResourceType.TOPIC, PatternType.PREFIXED, AclOperation.WRITE))
                    .as(stage.name() + ": reply topics only where it answers requests; the Kafka clients' result topics only for their stage")
                    .isEqualTo(clients ? Set.of(Topics.REPLIES_PREFIX, io.openbio.schemas.contract.ClientsContract.RESULTS_PREFIX)
                            : stage.writes().contains(Topics.RESULTS) ? Set.of(Topics.REPLIES_PREFIX) : Set.of());
            assertThat(names(acls, ResourceType.TOPIC, PatternType.PREFIXED, AclOperation.READ))
                    .isEqualTo(clients ? Set.of(io.openbio.schemas.contract.ClientsContract.REQUESTS_PREFIX) : Set.of());
            assertThat(names(acls, ResourceType.TOPIC, PatternType.PREFIXED, AclOperation.DELETE))
                    .as(stage.name() + ": only the Kafka clients' stage purges (its request topics)")
                    .isEqualTo(clients ? Set.of(io.openbio.schemas.contract.ClientsContract.REQUESTS_PREFIX) : Set.of());
            assertThat(names(acls, ResourceType.TOPIC, PatternType.PREFIXED, AclOperation.ALL)).isEqualTo(Set.of(app + "-"));
            assertThat(names(acls, ResourceType.GROUP, PatternType.LITERAL, AclOperation.READ)).isEqualTo(Set.of(app));
            assertThat(names(acls, ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED, AclOperation.WRITE)).isEqualTo(Set.of(app + "-"));
            // nothing else: no cluster rights, no other groups, no wildcard
            int expected = stage.inputs().size() + stage.writes().size() + (stage.writes().contains(Topics.RESULTS) ? 1 : 0) + 3 + (clients ? 3 : 0);
            assertThat(acls).as(stage.name()).hasSize(expected);
            assertThat(acls).noneMatch(a -> a.pattern().name().equals("*") || a.pattern().resourceType() == ResourceType.CLUSTER);
        }
    }

    @Test
    void aKafkaClientTenantWritesOnlyItsRequestTopicAndReadsOnlyItsResultTopic() {
        List<AclBinding> acls = KafkaAccess.clientAcls("acme");
        assertThat(acls).allSatisfy(a -> assertThat(a.entry().principal()).isEqualTo("User:openbio-client-acme"));
        assertThat(names(acls, ResourceType.TOPIC, PatternType.LITERAL, AclOperation.WRITE)).isEqualTo(Set.of("openbio.clients.requests.acme"));
        assertThat(names(acls, ResourceType.TOPIC, PatternType.LITERAL, AclOperation.READ)).isEqualTo(Set.of("openbio.clients.results.acme"));
        assertThat(names(acls, ResourceType.GROUP, PatternType.PREFIXED, AclOperation.READ)).isEqualTo(Set.of("openbio-client-acme"));
        assertThat(acls).hasSize(4).noneMatch(a -> a.pattern().patternType() == PatternType.PREFIXED && a.pattern().resourceType() == ResourceType.TOPIC);
    }

    @Test
    void theGatewayWritesTheRouteEntriesAndReadsOnlyTheAuditTopicAndItsReplies() {
        List<AclBinding> acls = KafkaAccess.gatewayAcls();
        assertThat(acls).allSatisfy(a -> assertThat(a.entry().principal()).isEqualTo("User:" + KafkaAccess.GATEWAY));
        Set<String> entries = Pipeline.routes().stream().map(Route::entry).map(TopicSpec::name).collect(Collectors.toSet());
        assertThat(names(acls, ResourceType.TOPIC, PatternType.LITERAL, AclOperation.WRITE))
                .containsAll(entries).contains(Topics.CAPTURE_NONCES.name())
                .isEqualTo(topicNames(GatewayAccess.writes()));
        assertThat(names(acls, ResourceType.TOPIC, PatternType.LITERAL, AclOperation.READ)).isEqualTo(Set.of(Topics.AUDIT.name()));
        assertThat(names(acls, ResourceType.TOPIC, PatternType.PREFIXED, AclOperation.READ)).isEqualTo(Set.of(Topics.REPLIES_PREFIX));
        assertThat(names(acls, ResourceType.TOPIC, PatternType.PREFIXED, AclOperation.CREATE)).isEqualTo(Set.of(Topics.REPLIES_PREFIX));
        assertThat(names(acls, ResourceType.GROUP, PatternType.PREFIXED, AclOperation.READ)).isEqualTo(Set.of(GatewayAccess.GROUP_PREFIX));
        // it watches the stages (DESCRIBE) but reads none of their topics but the audit trail
        assertThat(names(acls, ResourceType.GROUP, PatternType.LITERAL, AclOperation.DESCRIBE))
                .isEqualTo(Pipeline.stages().stream().map(Stage::applicationId).collect(Collectors.toSet()));
        assertThat(acls).noneMatch(a -> a.entry().operation() == AclOperation.ALL || a.pattern().resourceType() == ResourceType.CLUSTER
                || a.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID);
    }

    @Test
    void onePrincipalPerStageAndOneForTheGateway() {
        assertThat(KafkaAccess.principals()).doesNotHaveDuplicates()
                .hasSize(Pipeline.stages().size() + 1)
                .contains(KafkaAccess.GATEWAY)
                .doesNotContain(KafkaAccess.ADMIN);
        assertThat(KafkaAccess.principalOfApplication(Pipeline.stages().get(0).applicationId()))
                .isEqualTo(KafkaAccess.stagePrincipal(Pipeline.stages().get(0)));
        assertThat(KafkaAccess.acls()).doesNotHaveDuplicates()
                .allSatisfy(a -> assertThat(KafkaAccess.managed(a.entry().principal())).isTrue());
    }

    @Test
    void securityConfigCarriesThePrincipalsOwnPassword(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        KafkaSecrets.credentials(dir, List.of("openbio-a", "openbio-b"));
        KafkaSecurity security = KafkaSecurity.sasl(dir, dir.resolve("ca.pem"), "openbio-a");
        String a = security.password("openbio-a");
        assertThat(a).hasSize(64).isNotEqualTo(security.password("openbio-b"));
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("openbio-a")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(security.clientConfig()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("sasl.jaas.config", KafkaSecurity.jaas("openbio-a", a));
        assertThat(security.clientConfig("openbio-b").get("sasl.jaas.config").toString()).contains("username=\"openbio-b\"");
        assertThat(KafkaSecurity.NONE.clientConfig("x")).containsOnlyKeys("security.protocol");
        assertThat(security.toString()).doesNotContain(a);
    }

    @Test
    void clientsAreSecuredUnlessToldOtherwise() {
        assertThat(io.openbio.schemas.settings.Settings.KAFKA_SECURITY_PROTOCOL.defaultValue()).isEqualTo(KafkaSecurity.SASL_SSL);
        if (System.getenv("OPENBIO_KAFKA_SECURITY_PROTOCOL") == null && System.getProperty("openbio.kafka.security-protocol") == null) {
            assertThat(KafkaSecurity.fromEnvironment().secured()).isTrue();
        }
        // a Streams application acts as its stage, whoever the process's own clients act as
        KafkaSettings settings = new KafkaSettings("b:9093", "r", 5, 1, java.nio.file.Path.of("/tmp"), (short) 1,
                KafkaSecurity.NONE).asUser(KafkaAccess.GATEWAY);
        assertThat(settings.streams("openbio-digest")).containsEntry("security.protocol", "PLAINTEXT");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KafkaSecurity("SSL", null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamsApplicationAuthenticatesAsItsOwnStage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        KafkaSecrets.credentials(dir, KafkaAccess.principals());
        KafkaSettings settings = new KafkaSettings("b:9093", "r", 5, 1, dir, (short) 1,
                KafkaSecurity.sasl(dir, dir.resolve("ca.pem"), KafkaAccess.GATEWAY));
        for (Stage stage : Pipeline.stages()) {
            assertThat(settings.streams(stage.applicationId()).getProperty("sasl.jaas.config"))
                    .contains("username=\"" + KafkaAccess.stagePrincipal(stage) + "\"");
        }
        assertThat(settings.admin().get("sasl.jaas.config").toString()).contains("username=\"" + KafkaAccess.GATEWAY + "\"");
    }

    @Test
    void tlsMaterialIsMadeOnceAndKept(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        KafkaSecrets.Tls tls = KafkaSecrets.tls(dir, List.of("localhost", "kafka"));
        String ca = java.nio.file.Files.readString(tls.caPem());
        assertThat(ca).startsWith("-----BEGIN CERTIFICATE-----");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(tls.keystore())) {
            store.load(in, tls.keystorePassword().toCharArray());
        }
        var cert = (java.security.cert.X509Certificate) store.getCertificate("broker");
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + KafkaSecrets.BROKER_PRINCIPAL);
        assertThat(cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()))
                .contains("127.0.0.1", "localhost", "kafka");
        assertThat(KafkaSecrets.tls(dir, List.of("localhost")).keystorePassword()).isEqualTo(tls.keystorePassword());
        assertThat(java.nio.file.Files.readString(tls.caPem())).isEqualTo(ca);
    }
}
