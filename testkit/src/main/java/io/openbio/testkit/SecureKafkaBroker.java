package io.openbio.testkit;

import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.kafka.KafkaSecrets;
import io.openbio.schemas.kafka.KafkaSecurity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker in this JVM with the platform's security: clients only on a
 * SASL_SSL listener (SCRAM-SHA-512, a fresh local CA), the standard authorizer, nothing allowed
 * without an ACL. Credentials for {@value KafkaAccess#ADMIN} and every principal of the contract are
 * generated under {@code dir}; {@link #security()} is the admin's client security, and
 * {@link KafkaAccess#apply} creates the stages' and gateway's credentials and ACLs.
 *
 * <p>Needs {@code org.apache.kafka:kafka_2.13} on the test classpath (spring-kafka-test brings it).
 */
public final class SecureKafkaBroker implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final KafkaSecurity security;

    private SecureKafkaBroker(KafkaRaftServer server, String bootstrap, KafkaSecurity security) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.security = security;
    }

    /** Formats a new storage under {@code dir} and starts the broker; returns once it accepts connections. */
    public static SecureKafkaBroker start(Path dir, int partitions) throws Exception {
        List<String> principals = new ArrayList<>(List.of(KafkaAccess.ADMIN));
        principals.addAll(KafkaAccess.principals());
        Path credentials = KafkaSecrets.credentials(dir.resolve("credentials"), principals);
        KafkaSecrets.Tls tls = KafkaSecrets.tls(dir.resolve("tls"), List.of("localhost"));
        KafkaSecurity security = KafkaSecurity.sasl(credentials, tls.caPem(), KafkaAccess.ADMIN);
        int port = freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.load(new java.io.StringReader(KafkaSecrets.singleNodeProperties(Files.createDirectories(dir.resolve("logs")),
                "127.0.0.1", port, controllerPort, tls, security.password(KafkaAccess.ADMIN))));
        props.put("num.partitions", Integer.toString(partitions));
        // fewer internal partitions than a real broker's 50: faster start, same semantics
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        Path config = dir.resolve("server.properties");
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "SecureKafkaBroker");
        }
        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--add-scram", KafkaSecrets.adminScramArgument(security.password(KafkaAccess.ADMIN))},
                new PrintStream(formatLog, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            throw new IllegalStateException("formatting the broker storage failed: " + formatLog.toString(StandardCharsets.UTF_8));
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitPort(port, Duration.ofSeconds(60));
        return new SecureKafkaBroker(server, "127.0.0.1:" + port, security);
    }

    /** {@code host:port} of the SASL_SSL listener (the only one clients can use). */
    public String bootstrap() {
        return bootstrap;
    }

    /** The client security of this broker: its credentials folder and CA, acting as {@value KafkaAccess#ADMIN}. */
    public KafkaSecurity security() {
        return security;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the broker did not open port " + port + " within " + timeout);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
