package io.openbio.launcher;

import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.setup.PlatformSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local run: a real KRaft broker, the Apicurio registry, every processor and the gateway, each
 * its own child process, started in that order and stopped in reverse on Ctrl-C / SIGTERM.
 *
 * <p>Settings (system property, else environment variable, else default):
 * <table>
 * <tr><td>openbio.data-dir / OPENBIO_DATA_DIR</td><td>.data (git-ignored)</td></tr>
 * <tr><td>openbio.kafka.port / OPENBIO_KAFKA_PORT</td><td>9092</td></tr>
 * <tr><td>openbio.kafka.controller-port / OPENBIO_KAFKA_CONTROLLER_PORT</td><td>9093</td></tr>
 * <tr><td>openbio.registry.port / OPENBIO_REGISTRY_PORT</td><td>8081</td></tr>
 * <tr><td>openbio.processor.http-port / OPENBIO_PROCESSOR_HTTP_PORT</td><td>8090</td></tr>
 * <tr><td>openbio.gateway.port / OPENBIO_GATEWAY_PORT</td><td>8080</td></tr>
 * </table>
 */
public final class PlatformLauncher {
    private static final Logger log = LoggerFactory.getLogger(PlatformLauncher.class);

    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        new PlatformLauncher().run();
    }

    private static int port(String property, String fallback) {
        return Integer.parseInt(KafkaSettings.setting(property, fallback));
    }

    void run() throws Exception {
        long started = System.nanoTime();
        Path root = LocalPaths.root();
        Path data = root.resolve(KafkaSettings.setting("openbio.data-dir", ".data")).toAbsolutePath();
        Path logs = Files.createDirectories(data.resolve("logs"));
        int kafkaPort = port("openbio.kafka.port", "9092");
        int controllerPort = port("openbio.kafka.controller-port", "9093");
        int registryPort = port("openbio.registry.port", "8081");
        int processorPort = port("openbio.processor.http-port", "8090");
        int gatewayPort = port("openbio.gateway.port", "8080");

        Path launcherLib = LocalPaths.require(root.resolve("launcher/target/lib"), "mvn -DskipTests package");
        Path processorsJar = LocalPaths.require(root.resolve("processors/target/processors-0.1.0-SNAPSHOT.jar"), "mvn -DskipTests package");
        Path processorsLib = LocalPaths.require(root.resolve("processors/target/lib"), "mvn -DskipTests package");
        Path gatewayJar = LocalPaths.require(root.resolve("gateway/target/gateway-exec.jar"), "mvn -DskipTests package");
        Path registryJar = LocalPaths.require(root.resolve("registry/target/quarkus-app/quarkus-run.jar"), "mvn -DskipTests package");

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stop.countDown();
        }, "platform-shutdown"));

        String bootstrap = "127.0.0.1:" + kafkaPort;
        String registryUrl = "http://127.0.0.1:" + registryPort + "/apis/registry/v2";
        Map<String, String> env = Map.of(
                "OPENBIO_MODELS_DIR", KafkaSettings.setting("openbio.models.dir", root.resolve("models").toString()),
                "OPENBIO_BUNDLE_KEYSTORE", KafkaSettings.setting("openbio.bundle.keystore", data.resolve("keys/bundle-keys.p12").toString()),
                "OPENBIO_KAFKA_BOOTSTRAP", bootstrap,
                "OPENBIO_REGISTRY_URL", registryUrl,
                "OPENBIO_STREAMS_STATE_DIR", data.resolve("streams").toString(),
                "OPENBIO_PROCESSOR_HTTP_PORT", Integer.toString(processorPort),
                "OPENBIO_GATEWAY_PORT", Integer.toString(gatewayPort));

        log.info("starting Kafka broker (KRaft) on {}, data in {}", bootstrap, data.resolve("kafka"));
        children.add(LocalBroker.start(data, launcherLib, kafkaPort, controllerPort, logs.resolve("broker.log")));

        log.info("starting schema registry on port {}", registryPort);
        Files.createDirectories(data.resolve("registry"));
        ChildProcess registry = ChildProcess.start("registry", List.of(LocalPaths.java(),
                        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.http.port=" + registryPort, "-Dquarkus.http.host=127.0.0.1",
                        // Schemas persist across runs next to the broker's data, so ids in stored events keep resolving.
                        "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + data.resolve("registry/registry") + ";DB_CLOSE_ON_EXIT=FALSE",
                        "-jar", registryJar.toString()),
                Map.of(), data, logs.resolve("registry.log"));
        children.add(registry);

        KafkaSettings settings = KafkaSettings.fromEnvironment().with(bootstrap, registryUrl);
        try (Admin admin = Admin.create(settings.admin())) {
            PlatformSetup.createTopics(admin, Topics.ALL, (short) 1);
        }
        registry.awaitHttp(registryUrl + "/system/info", Duration.ofSeconds(90));
        PlatformSetup.requireBackwardCompatibility(registryUrl, Duration.ofSeconds(30));
        PlatformSetup.registerSchemas(registryUrl, Topics.ALL);

        log.info("starting processors (all stages in one JVM; health on port {})", processorPort);
        ChildProcess processors = ChildProcess.start("processors", List.of(LocalPaths.java(),
                        "-Xmx1g", "-cp", processorsJar + ":" + processorsLib + "/*",
                        "io.openbio.processors.ProcessorMain", "all"),
                env, data, logs.resolve("processors.log"));
        children.add(processors);

        log.info("starting gateway on port {}", gatewayPort);
        ChildProcess gateway = ChildProcess.start("gateway", List.of(LocalPaths.java(),
                        "-Xmx512m", "-jar", gatewayJar.toString()),
                env, data, logs.resolve("gateway.log"));
        children.add(gateway);

        processors.awaitHttp("http://127.0.0.1:" + processorPort + "/health/ready", Duration.ofSeconds(120));
        gateway.awaitHttp("http://127.0.0.1:" + gatewayPort + "/health", Duration.ofSeconds(120));

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        String banner = String.join(System.lineSeparator(),
                "",
                "OpenBio platform is up in " + seconds + " s",
                "  gateway:    http://localhost:" + gatewayPort + "   (try: curl --data-binary @photo.jpg -H 'Content-Type: image/jpeg' http://localhost:" + gatewayPort + "/diagnostic/digest)",
                "  broker:     " + bootstrap,
                "  registry:   http://localhost:" + registryPort + "/apis/ccompat/v7  (Confluent-compatible)",
                "  processors: http://localhost:" + processorPort + "/health/ready",
                "  logs:       " + logs,
                "Press Ctrl-C to stop.", "");
        System.out.println(banner);
        System.out.flush();
        watch(stop);
    }

    /** Exits (stopping everything) when a child dies unexpectedly. */
    private void watch(CountDownLatch stop) throws InterruptedException {
        while (!stop.await(1, TimeUnit.SECONDS)) {
            synchronized (children) {
                for (ChildProcess child : children) {
                    if (!child.alive()) {
                        log.error("{} exited unexpectedly; see {}. Stopping the platform.", child.name(), child.log());
                        System.exit(1);
                    }
                }
            }
        }
    }

    private void stopAll() {
        List<ChildProcess> reversed;
        synchronized (children) {
            reversed = new ArrayList<>(children);
            children.clear();
        }
        Collections.reverse(reversed);
        for (ChildProcess child : reversed) {
            log.info("stopping {}", child.name());
            child.close();
        }
        log.info("platform stopped");
    }

}
