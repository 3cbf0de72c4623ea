package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.openbio.schemas.Topics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** HTTP in -> Avro events on a real broker -> real processors -> HTTP out, with the real registry. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIntegrationTest {
    static WiredPlatform platform;
    static int gateway;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-a");
    }

    static byte[] png(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    @Order(1)
    void digestRoundTripIsComputedByTwoProcessors() throws Exception {
        byte[] image = png(320, 240);
        Http.Answer answer = Http.post(gateway, "/diagnostic/digest", "image/png", image);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("status").asText()).isEqualTo("OK");
        assertThat(body.at("/result/sha256").asText()).isEqualTo(sha256(image));
        assertThat(body.at("/result/sizeBytes").asLong()).isEqualTo(image.length);
        assertThat(body.at("/result/imageFormat").asText()).isEqualTo("png");
        assertThat(body.at("/result/width").asInt()).isEqualTo(320);
        assertThat(body.at("/result/height").asInt()).isEqualTo(240);
        List<String> stages = new ArrayList<>();
        body.get("stages").forEach(s -> stages.add(s.get("stage").asText()));
        assertThat(stages).containsExactly("digest", "image-info");
        // the request id travels back to the caller, to follow it to its result, callback and audit record
        assertThat(answer.raw().headers().firstValue("X-Request-Id")).contains(body.get("requestId").asText());
        // the reply listener starts at its topic's end every time: it commits no offsets (no
        // group-coordinator round trip per reply)
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(platform.settings.admin())) {
            assertThat(admin.listConsumerGroupOffsets("openbio-gateway-gw-a").partitionsToOffsetAndMetadata()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    @Order(2)
    void jsonFormWithBase64PayloadWorksToo() throws Exception {
        byte[] data = "hello pipeline".getBytes(StandardCharsets.UTF_8);
        String json = "{\"payload\":\"" + Base64.getEncoder().encodeToString(data) + "\"}";
        Http.Answer answer = Http.post(gateway, "/diagnostic/digest", "application/json", json.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().at("/result/sha256").asText()).isEqualTo(sha256(data));
        assertThat(answer.json().at("/result/imageFormat").isNull()).isTrue();
    }

    @Test
    @Order(3)
    void resultOnTheResultTopicIsConfluentWireFormatWithAResolvableSchemaId() {
        Http.Answer answer = Http.post(gateway, "/diagnostic/digest", "application/octet-stream", new byte[] {1, 2, 3});
        String requestId = answer.json().get("requestId").asText();

        ConsumerRecord<String, byte[]> record = TopicReader.find(platform.settings.bootstrapServers(),
                Topics.RESULTS.name(), requestId, Duration.ofSeconds(30));
        assertThat(record).as("result of %s on %s", requestId, Topics.RESULTS.name()).isNotNull();
        byte[] value = record.value();
        assertThat(value[0]).as("Confluent magic byte").isEqualTo((byte) 0);
        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();

        Http.Answer schema = Http.send(HttpRequest.newBuilder(URI.create(platform.registry.ccompatUrl() + "/schemas/ids/" + schemaId)).GET().build());
        assertThat(schema.status()).isEqualTo(200);
        assertThat(schema.json().get("schema").asText()).contains("\"name\":\"ResultEvent\"");
    }

    @Test
    @Order(4)
    void callbackIsDeliveredToALocalHttpServerWithAnIdempotencyKey() throws Exception {
        LinkedBlockingQueue<String[]> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new String[] {exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)});
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            byte[] data = "callback me".getBytes(StandardCharsets.UTF_8);
            Http.Answer accepted = Http.post(gateway, "/diagnostic/digest?wait=false&callbackUrl=" + callback, "application/octet-stream", data);
            assertThat(accepted.status()).isEqualTo(202);
            String requestId = accepted.json().get("requestId").asText();
            assertThat(accepted.raw().headers().firstValue("X-Request-Id")).contains(requestId);

            String[] delivery = received.poll(30, TimeUnit.SECONDS);
            assertThat(delivery).as("callback delivered").isNotNull();
            assertThat(delivery[0]).isEqualTo(requestId);
            JsonNode body = Http.JSON.readTree(delivery[1]);
            assertThat(body.get("requestId").asText()).isEqualTo(requestId);
            assertThat(body.at("/result/sha256").asText()).isEqualTo(sha256(data));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    @Order(5)
    void oversizedBodyIs413InTheErrorFormat() {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        Http.Answer answer = Http.post(gateway, "/diagnostic/digest", "application/octet-stream", big);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("status").asInt()).isEqualTo(413);
        assertThat(answer.json().get("error_code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(answer.json().get("path").asText()).isEqualTo("/diagnostic/digest");
        assertThat(answer.json().has("timestamp")).isTrue();
    }

    @Test
    @Order(6)
    void oversizedChunkedBodyWithoutLengthIs413Too() {
        byte[] big = new byte[11 * 1024 * 1024];
        Http.Answer answer = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/diagnostic/digest"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build());
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("error_code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    @Order(7)
    void malformedJsonIs400() {
        Http.Answer answer = Http.post(gateway, "/diagnostic/digest", "application/json", "{\"payload\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("Bad Request");
        assertThat(answer.json().get("message").asText()).contains("Malformed");
    }

    @Test
    @Order(8)
    void otherClientMistakesAre400NotServerErrors() {
        assertThat(Http.post(gateway, "/diagnostic/digest", "application/octet-stream", new byte[0]).status()).isEqualTo(400);
        assertThat(Http.post(gateway, "/diagnostic/digest", "application/json", "{\"payload\":\"***\"}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(Http.post(gateway, "/diagnostic/digest", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(Http.post(gateway, "/diagnostic/digest", "application/json", "[1,2]".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        Http.Answer badCallback = Http.post(gateway, "/diagnostic/digest?callbackUrl=ftp://x", "application/octet-stream", new byte[] {1});
        assertThat(badCallback.status()).isEqualTo(400);
        assertThat(badCallback.json().get("message").asText()).contains("callbackUrl");
        assertThat(Http.post(gateway, "/diagnostic/digest?wait=maybe", "application/octet-stream", new byte[] {1}).status()).isEqualTo(400);
        assertThat(Http.get(gateway, "/diagnostic/digest").status()).isEqualTo(405);
        assertThat(Http.get(gateway, "/no/such/endpoint").status()).isEqualTo(404);
        // the tenant id becomes part of keys, state and audit records: only a plain name is accepted
        for (String tenant : new String[] {"bad tenant", "x".repeat(65), "-leading", "a/b"}) {
            Http.Answer badTenant = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway + "/diagnostic/digest"))
                    .header("Content-Type", "application/octet-stream").header("X-Tenant-Id", tenant)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build());
            assertThat(badTenant.status()).as(tenant).isEqualTo(400);
            assertThat(badTenant.json().get("message").asText()).contains("X-Tenant-Id");
        }
        Http.Answer goodTenant = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway + "/diagnostic/digest"))
                .header("Content-Type", "application/octet-stream").header("X-Tenant-Id", "acme-eu_1.prod")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build());
        assertThat(goodTenant.status()).isEqualTo(200);
    }

    @Test
    @Order(9)
    void healthIsUpAndMetricsArePrometheus() {
        Http.Answer health = Http.get(gateway, "/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().at("/components/broker").asText()).isEqualTo("UP");
        assertThat(health.json().at("/components/registry").asText()).isEqualTo("UP");
        assertThat(health.json().at("/components/processor:digest").asText()).isEqualTo("UP");
        assertThat(Http.get(gateway, "/actuator/health").status()).isEqualTo(200);
        Http.Answer metrics = Http.get(gateway, "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("openbio_gateway_pending_requests")
                .contains("openbio_gateway_pipeline_roundtrip_seconds_bucket")
                .contains("http_server_requests_seconds_bucket");
    }

    @Test
    @Order(10)
    void twoGatewayInstancesEachReceiveOnlyTheirOwnReplies() throws Exception {
        int gatewayB = platform.gateway("gw-b");
        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        List<String> idsA = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> idsB = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            int port = i % 2 == 0 ? gateway : gatewayB;
            List<String> ids = i % 2 == 0 ? idsA : idsB;
            byte[] data = ("payload-" + i).getBytes(StandardCharsets.UTF_8);
            String expected = sha256(data);
            checks.add(CompletableFuture.supplyAsync(() -> {
                Http.Answer answer = Http.post(port, "/diagnostic/digest", "application/octet-stream", data);
                ids.add(answer.json().get("requestId").asText());
                return answer.status() == 200 && expected.equals(answer.json().at("/result/sha256").asText());
            }));
        }
        for (CompletableFuture<Boolean> check : checks) {
            assertThat(check.get(60, TimeUnit.SECONDS)).isTrue();
        }
        List<String> onA = keys(Topics.replies("gw-a").name(), idsA);
        List<String> onB = keys(Topics.replies("gw-b").name(), idsB);
        assertThat(onA).containsAll(idsA).doesNotContainAnyElementsOf(idsB);
        assertThat(onB).containsAll(idsB).doesNotContainAnyElementsOf(idsA);
    }

    private static List<String> keys(String topic, List<String> expected) {
        return TopicReader.readUntil(platform.settings.bootstrapServers(), topic,
                        records -> records.stream().map(ConsumerRecord::key).toList().containsAll(expected), Duration.ofSeconds(20))
                .stream().map(ConsumerRecord::key).toList();
    }

    @Test
    @Order(11)
    void timeoutAnswers504AndTheLateResultIsStillOnTheResultTopic() throws Exception {
        int slow = platform.gateway("gw-timeout", "openbio.gateway.request-timeout=1500ms");
        platform.stopProcessor("image-info");
        try {
            byte[] data = "late result".getBytes(StandardCharsets.UTF_8);
            Http.Answer answer = Http.post(slow, "/diagnostic/digest", "application/octet-stream", data);
            assertThat(answer.status()).isEqualTo(504);
            assertThat(answer.json().get("status").asInt()).isEqualTo(504);
            String message = answer.json().get("message").asText();
            String requestId = message.replaceAll(".*request ([0-9a-f-]{36}).*", "$1");
            assertThat(requestId).hasSize(36);

            // With a stage down, /health says so (503) and names it.
            Http.Answer health = await("/health reports image-info down").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Http.get(slow, "/health"), h -> h.status() == 503);
            assertThat(health.status()).as(health.body()).isEqualTo(503);
            assertThat(health.json().at("/components/processor:image-info").asText()).isEqualTo("DOWN");
            assertThat(health.json().at("/components/processor:digest").asText()).isEqualTo("UP");

            platform.startProcessor("image-info");
            ConsumerRecord<String, byte[]> late = TopicReader.find(platform.settings.bootstrapServers(),
                    Topics.RESULTS.name(), requestId, Duration.ofSeconds(60));
            assertThat(late).as("late result on the result topic").isNotNull();
        } finally {
            if (!platform.processors.containsKey("image-info")) {
                platform.startProcessor("image-info");
            }
        }
    }

    @Test
    @Order(12)
    void aFullGatewayShedsLoadWith429AndRetryAfterAtOnce() throws Exception {
        int busy = platform.gateway("gw-busy", "openbio.gateway.max-pending=2", "openbio.gateway.request-timeout=4s");
        platform.stopProcessor("image-info");
        try {
            List<CompletableFuture<Http.Answer>> waiting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] data = ("pending " + i).getBytes(StandardCharsets.UTF_8);
                waiting.add(CompletableFuture.supplyAsync(() -> Http.post(busy, "/diagnostic/digest", "application/octet-stream", data)));
            }
            // Both wait for their result (image-info is down) before the third comes.
            await("2 requests pending").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> pending(busy), n -> n >= 2);
            long start = System.nanoTime();
            Http.Answer shed = Http.post(busy, "/diagnostic/digest", "application/octet-stream", new byte[] {9});
            assertThat(shed.status()).as(shed.body()).isEqualTo(429);
            assertThat(shed.raw().headers().firstValue("Retry-After")).contains("1");
            assertThat(shed.json().get("error_code").asText()).isEqualTo("TOO_MANY_REQUESTS");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered before the request timeout, not queued into it").isLessThan(Duration.ofSeconds(4));
            for (CompletableFuture<Http.Answer> w : waiting) {
                assertThat(w.get(30, TimeUnit.SECONDS).status()).isEqualTo(504);
            }
        } finally {
            platform.startProcessor("image-info");
        }
    }

    static final Pattern PENDING = Pattern.compile("(?m)^openbio_gateway_pending_requests(?:\\{[^}]*})? (\\S+)$");

    /** The gateway's requests waiting for their result (gauge openbio_gateway_pending_requests); -1 before it is there. */
    static double pending(int port) {
        Matcher m = PENDING.matcher(Http.get(port, "/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
