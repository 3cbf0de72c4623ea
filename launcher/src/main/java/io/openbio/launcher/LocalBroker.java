package io.openbio.launcher;

import io.openbio.schemas.kafka.KafkaSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), started
 * from the Kafka jars Maven put in the launcher's {@code lib/} folder: no download, no Docker.
 * Its data lives in {@code <dataDir>/kafka}; the storage is formatted on the first run only, so a
 * second run finds its topics and events again.
 *
 * <p>Secured as in a deployment: clients only on a SASL_SSL listener (SCRAM-SHA-512, certificate
 * from the local CA in {@code kafka/tls}), the controller listener on 127.0.0.1 with mutual TLS,
 * the standard authorizer with nothing allowed but what an ACL grants. The {@code admin} credential
 * is bootstrapped at format time; {@link LocalPlatform#setUp} then creates every stage's and the
 * gateway's credential and ACLs. A storage formatted by an older, unsecured version (no
 * {@value #SECURED_MARKER} file) is moved aside, with a log line, and formatted anew.
 */
public final class LocalBroker {
    private LocalBroker() {
    }

    /** Written next to the storage once it is formatted with the admin's SCRAM credential. */
    static final String SECURED_MARKER = "storage-secured";

    public static String serverProperties(Path logDirs, int port, int controllerPort, KafkaSecrets.Tls tls, String adminPassword) {
        return "# Written by the OpenBio launcher on every start (ports may change between runs).\n"
                + KafkaSecrets.singleNodeProperties(logDirs, "127.0.0.1", port, controllerPort, tls, adminPassword);
    }

    /** Formats (first run only) and starts the broker; returns once it accepts connections. */
    public static ChildProcess start(Path dataDir, Path libDir, int port, int controllerPort, KafkaSecrets.Tls tls, String adminPassword,
                                     Path logFile) throws IOException, InterruptedException {
        Path kafkaDir = Files.createDirectories(dataDir.resolve("kafka"));
        Path logDirs = kafkaDir.resolve("logs");
        Path marker = kafkaDir.resolve(SECURED_MARKER);
        if (Files.exists(logDirs) && !Files.exists(marker)) {
            Path aside = kafkaDir.resolve("logs-unsecured-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            Files.move(logDirs, aside);
            System.out.println("[launcher] the Kafka storage in " + logDirs + " was made by an older, unsecured version:"
                    + " moved aside to " + aside + " (delete it when its events are no longer needed); formatting a new, secured one");
        }
        Path config = kafkaDir.resolve("server.properties");
        Files.deleteIfExists(config);
        Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(config, serverProperties(logDirs, port, controllerPort, tls, adminPassword), StandardOpenOption.TRUNCATE_EXISTING);
        Path log4j = kafkaDir.resolve("log4j2.properties");
        Files.writeString(log4j, String.join("\n",
                "rootLogger.level=INFO", "rootLogger.appenderRef.out.ref=OUT",
                "appender.out.type=Console", "appender.out.name=OUT",
                "appender.out.layout.type=PatternLayout", "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                "logger.kafka.name=kafka", "logger.kafka.level=WARN",
                "logger.kafkaorg.name=org.apache.kafka", "logger.kafkaorg.level=WARN",
                "logger.server.name=kafka.server.KafkaRaftServer", "logger.server.level=INFO", ""));
        String classpath = libDir.toAbsolutePath() + "/*";
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            // In this JVM, not a child process: the admin's password would show on a command line (ps).
            List<String> format = List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                    // the super user's credential must exist before the broker starts: it is also the inter-broker identity
                    "--add-scram", KafkaSecrets.adminScramArgument(adminPassword));
            java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
            int exit = kafka.tools.StorageTool.execute(format.toArray(String[]::new), new java.io.PrintStream(output, true));
            Files.writeString(logFile, output.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (exit != 0) {
                throw new IOException("formatting the Kafka storage failed; see " + logFile);
            }
            Files.writeString(marker, "formatted with SASL_SSL and the admin's SCRAM credential\n");
        }
        List<String> command = new ArrayList<>(List.of(LocalPaths.java(),
                "-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
                "-cp", classpath, "kafka.Kafka", config.toString()));
        ChildProcess broker = ChildProcess.start("broker", command, Map.of(), dataDir, logFile);
        // 180 s: on a shared 2-core machine under a load average of 30-40 the broker took up to 2 min 50 s (2026-12-03)
        broker.awaitPort("127.0.0.1", port, Duration.ofSeconds(180));
        return broker;
    }
}
