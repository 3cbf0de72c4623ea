package io.openbio.processors.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.openbio.schemas.callback.CallbackDestinationPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One attempt over real HTTP: the checked address, the Standard Webhooks signature, refused destinations, a tarpit. */
class CallbackSenderTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final String SECRETS = "t=" + Base64.getEncoder().encodeToString(SECRET);

    static {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
    }

    private HttpServer receiver;
    private final List<Headers> headers = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final List<CallbackSender> senders = new ArrayList<>();
    private int port;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            headers.add(exchange.getRequestHeaders());
            bodies.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        port = receiver.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        senders.forEach(CallbackSender::close);
    }

    private CallbackSender sender(CallbackDestinationPolicy policy, String secrets, Duration timeout) {
        CallbackSender sender = new CallbackSender(policy, CallbackSigner.parse(secrets), timeout, Clock.systemUTC());
        senders.add(sender);
        return sender;
    }

    private static CallbackTransport.Outcome await(java.util.concurrent.CompletableFuture<CallbackTransport.Outcome> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    /** The receiver's side of Standard Webhooks, computed here with its own HMAC (not CallbackSigner's). */
    static boolean verify(byte[] secret, Headers h, byte[] body) throws Exception {
        String id = h.getFirst("webhook-id");
        String timestamp = h.getFirst("webhook-timestamp");
        String signatures = h.getFirst("webhook-signature");
        if (id == null || timestamp == null || signatures == null
                || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String candidate : signatures.split(" ")) {
            if (candidate.startsWith("v1,")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aDeliveryIsSignedAsStandardWebhooksSaysAndCarriesTheIdempotencyHeaders() throws Exception {
        CallbackDestinationPolicy policy = CallbackDestinationPolicy.parse("127.0.0.1:" + port, InetAddress::getAllByName);
        CallbackTransport.Outcome outcome = await(sender(policy, SECRETS, Duration.ofSeconds(5))
                .attempt(CallbackTopologyTest.result("req-s", "http://127.0.0.1:" + port + "/hook"), 2));

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.status()).isEqualTo(204);
        Headers h = headers.get(0);
        assertThat(h.getFirst("Idempotency-Key")).isEqualTo("req-s");
        assertThat(h.getFirst("webhook-id")).isEqualTo("req-s");
        assertThat(h.getFirst("X-OpenBio-Request-Id")).isEqualTo("req-s");
        assertThat(h.getFirst("X-OpenBio-Attempt")).isEqualTo("2");
        assertThat(h.getFirst("webhook-signature")).startsWith("v1,");
        assertThat(verify(SECRET, h, bodies.get(0))).as("signature verifies with the tenant's secret").isTrue();
        assertThat(verify("another-secret-another-secret!!".getBytes(StandardCharsets.US_ASCII), h, bodies.get(0))).isFalse();
        byte[] tampered = new String(bodies.get(0), StandardCharsets.UTF_8).replace("req-s", "req-x").getBytes(StandardCharsets.UTF_8);
        assertThat(verify(SECRET, h, tampered)).as("a changed body does not verify").isFalse();
        assertThat(new String(bodies.get(0), StandardCharsets.UTF_8)).contains("\"requestId\":\"req-s\"");
    }

    @Test
    void aTenantWithoutASecretGetsUnsignedCallbacks() throws Exception {
        CallbackDestinationPolicy policy = CallbackDestinationPolicy.parse("127.0.0.1:" + port, InetAddress::getAllByName);
        assertThat(await(sender(policy, "", Duration.ofSeconds(5))
                .attempt(CallbackTopologyTest.result("req-u", "http://127.0.0.1:" + port + "/hook"), 1)).delivered()).isTrue();
        assertThat(headers.get(0).getFirst("webhook-signature")).isNull();
        assertThat(headers.get(0).getFirst("webhook-id")).isEqualTo("req-u");
    }

    @Test
    void theConnectionGoesToTheCheckedAddressWithoutASecondLookup() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // a rebinding resolver: the checked answer is the allowed receiver, any later answer the metadata address
        CallbackDestinationPolicy.Resolver rebinding = host -> {
            if (!host.equals("hooks.rebind.test")) {
                throw new UnknownHostException(host);
            }
            return lookups.getAndIncrement() == 0
                    ? new InetAddress[] {InetAddress.getByName("127.0.0.1")}
                    : new InetAddress[] {InetAddress.getByName("169.254.169.254")};
        };
        CallbackDestinationPolicy policy = CallbackDestinationPolicy.parse("hooks.rebind.test:" + port, rebinding);
        CallbackTransport.Outcome outcome = await(sender(policy, SECRETS, Duration.ofSeconds(5))
                .attempt(CallbackTopologyTest.result("req-r", "http://hooks.rebind.test:" + port + "/hook"), 1));
        assertThat(outcome.delivered()).isTrue();
        assertThat(lookups.get()).as("one resolution per attempt, by the policy").isEqualTo(1);
        assertThat(headers.get(0).getFirst("Host")).isEqualTo("hooks.rebind.test:" + port);
    }

    @Test
    void internalDestinationsAreRefusedBeforeAnyConnection() throws Exception {
        CallbackSender sender = sender(CallbackDestinationPolicy.parse("", InetAddress::getAllByName), SECRETS, Duration.ofSeconds(5));
        for (String url : new String[] {"http://127.0.0.1:" + port + "/", "http://[::1]:" + port + "/", "http://2130706433:" + port + "/",
                "http://[::ffff:127.0.0.1]:" + port + "/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                "http://user:secret@127.0.0.1:" + port + "/"}) {
            CallbackTransport.Outcome outcome = await(sender.attempt(CallbackTopologyTest.result("req-i", url), 1));
            assertThat(outcome.delivered()).as(url).isFalse();
            assertThat(outcome.retryable()).as(url + ": final").isFalse();
            assertThat(outcome.error()).as(url).startsWith("destination refused");
        }
        assertThat(headers).as("nothing reached the loopback receiver").isEmpty();
    }

    @Test
    void aReceiverThatNeverAnswersCostsOnlyItsOwnAttemptTheTimeout() throws Exception {
        try (ServerSocket tarpit = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(tarpit.accept()); // accept, read nothing, answer nothing
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            CallbackDestinationPolicy policy = CallbackDestinationPolicy.parse("127.0.0.1/32", InetAddress::getAllByName);
            CallbackSender sender = sender(policy, SECRETS, Duration.ofMillis(800));
            long t0 = System.nanoTime();
            var slow = sender.attempt(CallbackTopologyTest.result("req-slow", "http://127.0.0.1:" + tarpit.getLocalPort() + "/"), 1);
            var fast = sender.attempt(CallbackTopologyTest.result("req-fast", "http://127.0.0.1:" + port + "/"), 1);
            assertThat(await(fast).delivered()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the healthy receiver did not wait").isLessThan(Duration.ofMillis(700));
            CallbackTransport.Outcome timedOut = await(slow);
            assertThat(timedOut.delivered()).isFalse();
            assertThat(timedOut.retryable()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aReceiverThatTricklesItsAnswerIsCutOffAtTheAttemptDeadline() throws Exception {
        try (ServerSocket trickler = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread server = new Thread(() -> {
                try (Socket socket = trickler.accept()) {
                    var out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) {
                        out.write('x'); // one byte every 200 ms: never silent for the 800 ms socket timeout
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (Exception e) {
                    // the sender hung up
                }
            });
            server.setDaemon(true);
            server.start();
            CallbackDestinationPolicy policy = CallbackDestinationPolicy.parse("127.0.0.1/32", InetAddress::getAllByName);
            long t0 = System.nanoTime();
            CallbackTransport.Outcome outcome = await(sender(policy, SECRETS, Duration.ofMillis(800))
                    .attempt(CallbackTopologyTest.result("req-t", "http://127.0.0.1:" + trickler.getLocalPort() + "/"), 1));
            assertThat(outcome.delivered()).isFalse();
            assertThat(outcome.retryable()).isTrue();
            assertThat(outcome.error()).isEqualTo("attempt deadline exceeded");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }
}
