package io.openbio.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local run: a real KRaft broker, the Apicurio registry, every processor and the gateway, each
 * its own child process, started in that order and stopped in reverse on Ctrl-C / SIGTERM.
 *
 * <p>Settings: see {@link LocalPlatform}.
 */
public final class PlatformLauncher {
    private static final Logger log = LoggerFactory.getLogger(PlatformLauncher.class);

    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        new PlatformLauncher().run();
    }

    void run() throws Exception {
        long started = System.nanoTime();
        LocalPlatform platform = new LocalPlatform();
        Path logs = platform.logs;
        int gatewayPort = platform.gatewayPort;
        int processorPort = platform.processorPort;
        String bootstrap = platform.bootstrap;
        int registryPort = platform.registryPort;

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stop.countDown();
        }, "platform-shutdown"));

        log.info("starting Kafka broker (KRaft) on {}, data in {}", bootstrap, platform.data.resolve("kafka"));
        children.add(platform.startBroker());

        log.info("starting schema registry on port {}", registryPort);
        ChildProcess registry = platform.startRegistry();
        children.add(registry);
        platform.setUp(registry);

        log.info("starting processors (all stages in one JVM; health on port {})", processorPort);
        ChildProcess processors = platform.startProcessors("processors", List.of("all"), processorPort, "1g");
        children.add(processors);

        log.info("starting gateway on port {}", gatewayPort);
        ChildProcess gateway = platform.startGateway(Map.of());
        children.add(gateway);

        processors.awaitHttp("http://127.0.0.1:" + processorPort + "/health/ready", Duration.ofSeconds(120));
        gateway.awaitHttp("http://127.0.0.1:" + gatewayPort + "/health", Duration.ofSeconds(120));

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        String banner = String.join(System.lineSeparator(),
                "",
                "OpenBio platform is up in " + seconds + " s",
                "  gateway:    http://localhost:" + gatewayPort + "   (try: curl --data-binary @photo.jpg -H 'Content-Type: image/jpeg' http://localhost:" + gatewayPort + "/diagnostic/digest)",
                "  broker:     " + bootstrap + "   (SASL_SSL, SCRAM-SHA-512: user admin, password in "
                        + platform.kafkaAdmin.credentialsDir().resolve("admin") + ", CA " + platform.kafkaAdmin.truststore() + ")",
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
