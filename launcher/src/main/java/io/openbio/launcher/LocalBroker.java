package io.openbio.launcher;

import io.openbio.schemas.PayloadLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), started
 * from the Kafka jars Maven put in the launcher's {@code lib/} folder: no download, no Docker.
 * Its data lives in {@code <dataDir>/kafka}; the storage is formatted on the first run only, so a
 * second run finds its topics and events again.
 */
public final class LocalBroker {
    private LocalBroker() {
    }

    public static String serverProperties(Path logDirs, int port, int controllerPort) {
        return String.join("\n",
                "# Written by the OpenBio launcher on every start (ports may change between runs).",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDirs.toAbsolutePath(),
                "num.partitions=6",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "message.max.bytes=" + PayloadLimits.MAX_MESSAGE_BYTES,
                "replica.fetch.max.bytes=" + PayloadLimits.MAX_MESSAGE_BYTES,
                "log.retention.hours=168",
                "") ;
    }

    /** Formats (first run only) and starts the broker; returns once it accepts connections. */
    public static ChildProcess start(Path dataDir, Path libDir, int port, int controllerPort, Path logFile) throws IOException, InterruptedException {
        Path kafkaDir = Files.createDirectories(dataDir.resolve("kafka"));
        Path logDirs = kafkaDir.resolve("logs");
        Path config = kafkaDir.resolve("server.properties");
        Files.writeString(config, serverProperties(logDirs, port, controllerPort));
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
            List<String> format = List.of(LocalPaths.java(), "-cp", classpath,
                    "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
                    "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString());
            Process formatting = new ProcessBuilder(format).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                throw new IOException("formatting the Kafka storage failed; see " + logFile);
            }
        }
        List<String> command = new ArrayList<>(List.of(LocalPaths.java(),
                "-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
                "-cp", classpath, "kafka.Kafka", config.toString()));
        ChildProcess broker = ChildProcess.start("broker", command, Map.of(), dataDir, logFile);
        broker.awaitPort("127.0.0.1", port, Duration.ofSeconds(60));
        return broker;
    }
}
