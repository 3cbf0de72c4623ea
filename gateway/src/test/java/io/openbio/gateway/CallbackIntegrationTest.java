package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #13's callback findings over real HTTP and a real broker (the wired platform): a receiver that
 * never answers delays only its own callbacks, which go to the retry topics and then the dead-letter
 * topic; deliveries are signed (verified here with our own HMAC); the SSRF forms of the issue are 400s
 * at the gateway and nothing reaches a loopback listener that is not allow-listed for the tenant.
 */
class CallbackIntegrationTest {
    static WiredPlatform platform;
    static int gateway;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-a");
    }

    static Http.Answer digestWithCallback(String tenant, String callbackUrl, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/diagnostic/digest?wait=false&callbackUrl="
                        + URLEncoder.encode(callbackUrl, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .header("X-Tenant-Id", tenant)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    record Arrival(String requestId, Instant at, boolean signatureValid) {
    }

    static boolean validSignature(com.sun.net.httpserver.Headers h, byte[] body) {
        try {
            String id = h.getFirst("webhook-id");
            String timestamp = h.getFirst("webhook-timestamp");
            String signature = h.getFirst("webhook-signature");
            if (id == null || timestamp == null || signature == null || !signature.startsWith("v1,")
                    || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(WiredPlatform.CALLBACK_SECRET_BASE64), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(mac.doFinal(body), Base64.getDecoder().decode(signature.substring(3)));
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aReceiverThatNeverAnswersDelaysOnlyItsOwnCallbacksWhichEndOnTheDeadLetterTopic() throws Exception {
        List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        HttpServer healthy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        healthy.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            arrivals.add(new Arrival(exchange.getRequestHeaders().getFirst("Idempotency-Key"), Instant.now(),
                    validSignature(exchange.getRequestHeaders(), body)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        healthy.start();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket tarpit = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(tarpit.accept()); // accepts, never reads, never answers
                    }
                } catch (Exception e) {
                    // closed
                }
            }, "tarpit");
            acceptor.setDaemon(true);
            acceptor.start();

            List<String> slow = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Http.Answer accepted = digestWithCallback("cb-tarpit", "http://127.0.0.1:" + tarpit.getLocalPort() + "/hook", "slow " + i);
                assertThat(accepted.status()).isEqualTo(202);
                slow.add(accepted.json().get("requestId").asText());
            }
            Map<String, Instant> sent = new ConcurrentHashMap<>();
            for (int i = 0; i < 3; i++) {
                Http.Answer accepted = digestWithCallback("cb-healthy", "http://127.0.0.1:" + healthy.getAddress().getPort() + "/hook", "fast " + i);
                assertThat(accepted.status()).isEqualTo(202);
                sent.put(accepted.json().get("requestId").asText(), Instant.now());
            }

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> arrivals.stream().map(Arrival::requestId).collect(Collectors.toSet()).containsAll(sent.keySet()));
            for (Arrival arrival : arrivals) {
                assertThat(Duration.between(sent.get(arrival.requestId()), arrival.at()))
                        .as("healthy callback %s despite 10 tarpit callbacks before it", arrival.requestId())
                        .isLessThan(Duration.ofSeconds(5));
                assertThat(arrival.signatureValid()).as("webhook-signature of %s", arrival.requestId()).isTrue();
            }

            // the tarpit's callbacks: retried on each retry topic, then dead-lettered (200/400/800 ms delays, 1.5 s timeout)
            Set<String> expected = Set.copyOf(slow);
            List<ConsumerRecord<String, byte[]>> dead = TopicReader.readUntil(platform.settings.bootstrapServers(),
                    "openbio.callbacks.dead", records -> records.stream().map(ConsumerRecord::key).collect(Collectors.toSet())
                            .containsAll(expected), Duration.ofSeconds(90));
            assertThat(dead.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).containsAll(expected);
            for (String topic : List.of("openbio.callbacks.retry.1", "openbio.callbacks.retry.2", "openbio.callbacks.retry.3")) {
                List<ConsumerRecord<String, byte[]>> retried = TopicReader.readUntil(platform.settings.bootstrapServers(), topic,
                        records -> records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(expected),
                        Duration.ofSeconds(20));
                assertThat(retried.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).as(topic).containsAll(expected);
            }
            assertThat(arrivals.stream().map(Arrival::requestId)).as("healthy callbacks once each").hasSize(3);
        } finally {
            healthy.stop(0);
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void theSsrfFormsOfTheIssueAreRefusedAndNothingReachesALoopbackListener() throws Exception {
        List<String> reached = new CopyOnWriteArrayList<>();
        HttpServer listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            reached.add(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        listener.start();
        try {
            int port = listener.getAddress().getPort();
            for (String url : List.of("http://[::1]:" + port + "/", "http://2130706433:" + port + "/",
                    "http://[::ffff:127.0.0.1]:" + port + "/", "http://127.0.0.1:" + port + "/", "http://localhost:" + port + "/",
                    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://user:secret@example.com/")) {
                Http.Answer answer = digestWithCallback("cb-probe", url, "probe");
                assertThat(answer.status()).as(url).isEqualTo(400);
                assertThat(answer.json().get("message").asText()).as(url).contains("callbackUrl");
                assertThat(answer.body()).as("no credentials echoed").doesNotContain("secret");
            }
            // the same listener is reachable for a tenant whose allow-list names it: the refusal is the policy's
            Http.Answer allowed = digestWithCallback("default", "http://127.0.0.1:" + port + "/ok", "allowed");
            assertThat(allowed.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> reached.contains("/ok"));
            assertThat(reached).as("only the allow-listed tenant's callback").containsExactly("/ok");
        } finally {
            listener.stop(0);
        }
    }
}
