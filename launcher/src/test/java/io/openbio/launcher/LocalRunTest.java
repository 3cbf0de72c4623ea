package io.openbio.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openbio.schemas.Topics;
import io.openbio.testkit.Photos;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.openbio.schemas.kafka.KafkaAccess;
import io.openbio.schemas.kafka.KafkaSecurity;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Starts the README's run command ({@code ./run.sh}) in a subprocess, waits for the platform, calls
 * the diagnostic endpoint, stops it with SIGTERM (what Ctrl-C does) and checks that every component
 * is gone; checks that no template or image bytes reached any component's log; then starts it again
 * on the same data folder and finds the first run's result.
 */
class LocalRunTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    record Run(Process process, List<String> output, Thread reader) {
    }

    private static Run start(Path root, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "run.sh").directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> up = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    if (line.contains("OpenBio platform is up")) {
                        up.complete(null);
                    }
                }
            } catch (IOException e) {
                // process ended
            }
            up.completeExceptionally(new AssertionError("run.sh ended before the platform was up:\n" + String.join("\n", output)));
        }, "run-output");
        reader.setDaemon(true);
        reader.start();
        up.get(240, TimeUnit.SECONDS);
        return new Run(process, output, reader);
    }

    private static void stop(Run run, int... ports) throws Exception {
        // SIGTERM to the launcher (run.sh exec's it), as Ctrl-C would; through the handle, because
        // Process.destroy() would also close our end of its output.
        run.process().toHandle().destroy();
        assertThat(run.process().waitFor(120, TimeUnit.SECONDS)).as("launcher exits after SIGTERM").isTrue();
        run.reader().join(10_000);
        assertThat(String.join("\n", run.output())).contains("platform stopped");
        for (int port : ports) {
            assertThat(listening(port)).as("port %d closed after stop", port).isFalse();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void runCommandStartsThePlatformAnswersAndStopsCleanlyAndASecondRunReusesTheData() throws Exception {
        Path root = LocalPaths.root();
        Path data = root.resolve("launcher/target/local-run-data");
        if (Files.exists(data)) {
            try (var paths = Files.walk(data)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        // storage left by an older, unsecured version: moved aside, not a reason to fail
        Files.createDirectories(data.resolve("kafka/logs"));
        Files.writeString(data.resolve("kafka/logs/meta.properties"), "version=1\n");
        int kafka = freePort();
        int controller = freePort();
        int registry = freePort();
        int processors = freePort();
        int gateway = freePort();
        Map<String, String> env = Map.of(
                "OPENBIO_SKIP_BUILD", "1",
                "OPENBIO_DATA_DIR", data.toString(),
                "OPENBIO_KAFKA_PORT", Integer.toString(kafka),
                "OPENBIO_KAFKA_CONTROLLER_PORT", Integer.toString(controller),
                "OPENBIO_REGISTRY_PORT", Integer.toString(registry),
                "OPENBIO_PROCESSOR_HTTP_PORT", Integer.toString(processors),
                "OPENBIO_GATEWAY_PORT", Integer.toString(gateway));

        Run first = start(root, env);
        String requestId;
        String template;
        String photoChunk;
        try {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);

            byte[] payload = "the README's curl example".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/diagnostic/digest"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
            assertThat(answer.body()).contains("\"sha256\":\"" + sha + "\"").contains("\"stage\":\"digest\"").contains("\"stage\":\"image-info\"");
            requestId = answer.body().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");

            // Biometric data goes through the platform but never into its logs.
            byte[] photo = Photos.bytes(Photos.MAN_A);
            HttpResponse<String> generated = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/generate-template?encrypted=false"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(generated.statusCode()).as(generated.body()).isEqualTo(201);
            template = generated.body().replaceAll(".*\"template\":\"([^\"]+)\".*", "$1");
            photoChunk = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(photo, 3000, 3060));
        } finally {
            stop(first, gateway, processors, registry, kafka);
        }
        try (Stream<Path> logs = Files.list(data.resolve("logs"))) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                assertThat(text).as("template in %s", log).doesNotContain(template.substring(0, 64));
                assertThat(text).as("image bytes (base64) in %s", log).doesNotContain(photoChunk);
            }
        }

        assertThat(String.join("\n", first.output())).contains("unsecured version: moved aside");
        try (Stream<Path> kafkaDir = Files.list(data.resolve("kafka"))) {
            assertThat(kafkaDir.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("logs-unsecured-"));
        }
        // the run made its Kafka credentials and CA itself, readable by their owner only
        for (Path secret : List.of(data.resolve("kafka/admin/admin"), data.resolve("kafka/credentials/" + KafkaAccess.GATEWAY),
                data.resolve("kafka/tls/broker.p12"), data.resolve("kafka/server.properties"))) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
                    .as("mode of %s", secret).isEqualTo("rw-------");
        }

        Run second = start(root, env);
        try {
            assertThat(resultKeys("127.0.0.1:" + kafka, admin(data), requestId)).as("first run's result kept in the broker's data").contains(requestId);
            // the broker refuses an anonymous client
            try (org.apache.kafka.clients.admin.Admin anonymous = org.apache.kafka.clients.admin.Admin.create(Map.of(
                    "bootstrap.servers", "127.0.0.1:" + kafka, "default.api.timeout.ms", 5000, "request.timeout.ms", 3000))) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS))
                        .as("anonymous client").isNotNull();
            }
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/diagnostic/digest"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {7})).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } finally {
            stop(second, gateway, processors, registry, kafka);
        }
    }

    /** The local run's Kafka super user: its password and CA as the run wrote them. */
    private static KafkaSecurity admin(Path data) {
        return KafkaSecurity.sasl(data.resolve("kafka/admin"), data.resolve("kafka/tls/ca.pem"), KafkaAccess.ADMIN);
    }

    private static List<String> resultKeys(String bootstrap, KafkaSecurity security, String wanted) {
        List<String> keys = new ArrayList<>();
        Map<String, Object> config = new java.util.HashMap<>(security.clientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESULTS.name(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            try {
                // polled on this thread: a KafkaConsumer is single-threaded
                await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                        .until(() -> {
                            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                                keys.add(record.key());
                            }
                            return keys.contains(wanted);
                        });
            } catch (ConditionTimeoutException e) {
                // the caller's assertion names the keys that did arrive
            }
        }
        return keys;
    }
}
