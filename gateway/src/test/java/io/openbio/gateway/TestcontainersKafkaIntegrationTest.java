package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.processors.ProcessorCatalog;
import io.openbio.processors.core.ProcessorRuntime;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.crypto.PayloadKeyStore;
import io.openbio.schemas.crypto.SigningKeyStore;
import io.openbio.schemas.kafka.KafkaSecurity;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.registry.LocalRegistry;
import io.openbio.schemas.settings.Settings;
import io.openbio.schemas.setup.PlatformSetup;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The platform on a Kafka broker started by Testcontainers' Kafka module (the apache/kafka image of
 * the Kafka version the clients use, as docker-compose.yml runs) instead of the in-process broker of
 * {@link WiredPlatform}: the real registry (child process, OPENBIO_REGISTRY_JAR), the topics and
 * schemas of the pipeline contract, every processor stage and a gateway, then one request through
 * them. The container's broker is PLAINTEXT (Testcontainers' default listener): the SASL_SSL and ACL
 * checks stay with the in-process broker's tests.
 *
 * <p>Needs Docker: without it the class is skipped and says so ("disabledWithoutDocker"), and the
 * in-process broker tests run as always. With Docker:
 * {@code mvn -B -pl gateway -am -Dtest=TestcontainersKafkaIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false verify}.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaIntegrationTest {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:" + AppInfoParser.getVersion()));

    private static final List<String> PROPERTIES = List.of(Settings.KAFKA_SECURITY_PROTOCOL.property(),
            Settings.KAFKA_CREDENTIALS_DIR.property(), Settings.KAFKA_TRUSTSTORE.property(), Settings.REGISTRY_USER.property(),
            Settings.REGISTRY_PASSWORD.property(), Settings.PAYLOAD_KEYSTORE.property(), Settings.PAYLOAD_KEYSTORE_PASSWORD.property(),
            Settings.BIOSERVER_SIGNING_KEYSTORE.property(), Settings.BIOSERVER_SIGNING_KEYSTORE_PASSWORD.property(),
            "openbio.bundle.keystore");
    private static final Map<String, String> saved = new HashMap<>();
    private static LocalRegistry registry;
    private static final List<ProcessorRuntime> processors = new ArrayList<>();
    private static ConfigurableApplicationContext gateway;
    private static int port;

    @BeforeAll
    static void up() throws Exception {
        // this JVM's clients read their security and key stores from system properties (as deployments
        // from OPENBIO_* variables): set for this class, put back after it
        PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
        PROPERTIES.forEach(System::clearProperty);
        System.setProperty(Settings.KAFKA_SECURITY_PROTOCOL.property(), KafkaSecurity.PLAINTEXT);
        Path keys = Files.createTempDirectory("openbio-tc-keys");
        System.setProperty("openbio.bundle.keystore", keys.resolve("bundle-keys.p12").toString());
        String payloadPassword = UUID.randomUUID().toString();
        PayloadKeyStore.create(keys.resolve("payload-keys.p12"), payloadPassword.toCharArray());
        System.setProperty(Settings.PAYLOAD_KEYSTORE.property(), keys.resolve("payload-keys.p12").toString());
        System.setProperty(Settings.PAYLOAD_KEYSTORE_PASSWORD.property(), payloadPassword);
        String signingPassword = UUID.randomUUID().toString();
        SigningKeyStore.create(keys.resolve("bioserver-signing.p12"), signingPassword.toCharArray());
        System.setProperty(Settings.BIOSERVER_SIGNING_KEYSTORE.property(), keys.resolve("bioserver-signing.p12").toString());
        System.setProperty(Settings.BIOSERVER_SIGNING_KEYSTORE_PASSWORD.property(), signingPassword);

        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        registry = LocalRegistry.start(0, logs.resolve("registry-testcontainers.log"), Duration.ofSeconds(90));
        System.setProperty(Settings.REGISTRY_USER.property(), registry.credentials().user());
        System.setProperty(Settings.REGISTRY_PASSWORD.property(), registry.credentials().password());
        KafkaSettings settings = new KafkaSettings(KAFKA.getBootstrapServers(), registry.url(), 5, 1,
                Files.createTempDirectory("openbio-tc-streams"), (short) 1, KafkaSecurity.NONE);
        try (Admin admin = Admin.create(settings.admin())) {
            PlatformSetup.createTopics(admin, Pipeline.topics(), (short) 1);
        }
        PlatformSetup.requireBackwardCompatibility(registry.url(), registry.credentials(), Duration.ofSeconds(30));
        PlatformSetup.registerSchemas(registry.url(), registry.credentials(), Pipeline.topics());
        for (String name : ProcessorCatalog.names()) {
            ProcessorRuntime runtime = new ProcessorRuntime(ProcessorCatalog.create(name), settings, null);
            runtime.start();
            processors.add(runtime);
        }
        for (ProcessorRuntime runtime : processors) {
            assertThat(runtime.awaitReady(Duration.ofSeconds(120))).as("%s ready", runtime.name()).isTrue();
        }
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
                "--openbio.kafka.bootstrap=" + settings.bootstrapServers(), "--openbio.registry.url=" + settings.registryUrl(),
                "--openbio.gateway.instance-id=gw-testcontainers");
        port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    @AfterAll
    static void down() {
        if (gateway != null) {
            gateway.close();
        }
        processors.parallelStream().forEach(ProcessorRuntime::close);
        if (registry != null) {
            registry.close();
        }
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    void healthAndADigestThroughTheContainerBroker() throws Exception {
        assertThat(Http.get(port, "/health").status()).isEqualTo(200);

        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", png);
        byte[] image = png.toByteArray();
        Http.Answer answer = Http.post(port, "/diagnostic/digest", "image/png", image);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.at("/result/sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)));
        assertThat(body.at("/result/width").asInt()).isEqualTo(64);
        List<String> stages = new ArrayList<>();
        body.get("stages").forEach(s -> stages.add(s.get("stage").asText()));
        assertThat(stages).containsExactly("digest", "image-info");
    }
}
