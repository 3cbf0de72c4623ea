package io.openbio.launcher.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.launcher.LocalPlatform;
import io.openbio.launcher.bench.BioServerBenchmark;
import io.openbio.launcher.bench.CaptureClient;
import io.openbio.launcher.bench.ChallengeBenchmark;
import io.openbio.launcher.bench.DisFaceBenchmark;
import io.openbio.launcher.bench.DisOnboardingBenchmark;
import io.openbio.launcher.bench.LcpVerifyBenchmark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * The load families of the {@link SizingMix#PRODUCTS} mix, each a realistic single request of its
 * product, built with the product benchmark's own request code; their set-up calls are made once, here:
 * <ul>
 * <li>{@code lcp-verify}: {@code POST /liveness/verify}, image style, {@code .photos/man_a.jpg} against the
 * same user's reference (set first, as {@code LcpVerifyBenchmark} does);</li>
 * <li>{@code lcp-audit}: {@code GET /admin/audit/users/{user}?pageSize=10}, that user's audit log (which the
 * verify requests fill);</li>
 * <li>{@code bioserver}: {@code POST /bioserver-app/v2/bio-sessions/{id}/faces}, multipart with the photo, 50
 * faces per bio-session (a new session made by the builder when one is full, as {@code BioServerBenchmark});</li>
 * <li>{@code dis-faces}: {@code POST /api/v1/faces} with the photo ({@code DisFaceBenchmark});</li>
 * <li>{@code dis-customers}: {@code PUT /api/v1/customers/{id}/selfie} with the photo, round robin over 16
 * customers made beforehand ({@code DisOnboardingBenchmark}'s calls);</li>
 * <li>{@code challenge}: {@code POST /challenge} (answered by the gateway), then {@code POST /challenge/verify}
 * with a capture of 12 frames 200 ms apart, sent once its last frame's time has passed
 * ({@code ChallengeBenchmark}'s capture);</li>
 * <li>{@code kafka-clients}: {@code iad.check_capture_liveness} produced by a Kafka client ({@link KafkaClientLoad}).</li>
 * </ul>
 */
final class ProductLoad implements AutoCloseable {
    /** The Kafka-client tenant of the mix (added to {@code OPENBIO_KAFKA_CLIENT_TENANTS} before the platform starts). */
    static final String KAFKA_TENANT = "sizing";
    static final String LCP_USER = "sizing-user";
    static final int CUSTOMERS = 16;
    static final int CHALLENGE_FRAMES = 12;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final List<MixedLoad.Family> families;
    private final KafkaClientLoad kafka;

    ProductLoad(LocalPlatform platform, String gateway) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));

        LcpVerifyBenchmark.setReference(HTTP, gateway, LCP_USER, photo);
        String verify = LcpVerifyBenchmark.verifyBody(LCP_USER, photo);

        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        byte[] face = BioServerBenchmark.multipart(boundary, "{\"imageType\":\"SELFIE\"}", photo);
        BioSessions sessions = new BioSessions(gateway);

        String disFace = DisFaceBenchmark.createBody(photo);

        List<String> customers = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            HttpResponse<String> created = HTTP.send(DisOnboardingBenchmark.createCustomerRequest(gateway), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 200) {
                throw new IllegalStateException("POST /api/v1/customers answered " + created.statusCode());
            }
            customers.add(JSON.readTree(created.body()).get("id").asText());
        }
        String selfie = DisOnboardingBenchmark.selfieBody(photo);
        AtomicInteger nextCustomer = new AtomicInteger();

        BufferedImage still = ImageIO.read(new ByteArrayInputStream(photo));
        List<byte[]> frames = ChallengeBenchmark.frames(still, CHALLENGE_FRAMES);
        CaptureClient capture = new CaptureClient(gateway);

        kafka = new KafkaClientLoad(platform, gateway, KAFKA_TENANT, photo);
        families = List.of(
                new MixedLoad.Family("lcp-verify", g -> LcpVerifyBenchmark.verifyRequest(g, verify)),
                new MixedLoad.Family("lcp-audit", g -> HttpRequest.newBuilder(URI.create(g + "/admin/audit/users/" + LCP_USER + "?pageSize=10"))
                        .timeout(Duration.ofSeconds(60)).GET().build()),
                new MixedLoad.Family("bioserver", g -> BioServerBenchmark.faceRequest(g, sessions.next(), boundary, face)),
                new MixedLoad.Family("dis-faces", g -> DisFaceBenchmark.createRequest(g, disFace)),
                new MixedLoad.Family("dis-customers", g -> DisOnboardingBenchmark.selfieRequest(g,
                        customers.get(Math.floorMod(nextCustomer.getAndIncrement(), customers.size())), selfie)),
                new MixedLoad.Family("challenge", g -> challenge(capture, g, frames, still)),
                kafka.family("kafka-clients"));
        List<String> names = families.stream().map(MixedLoad.Family::name).toList();
        if (!names.equals(SizingMix.PRODUCTS.families)) {
            throw new IllegalStateException("the products mix's families are " + SizingMix.PRODUCTS.families + ", built " + names);
        }
    }

    /** A fresh challenge, its capture built and sent once the capture's last frame is in the past (as a real one is). */
    private static HttpRequest challenge(CaptureClient capture, String gateway, List<byte[]> frames, BufferedImage still) throws Exception {
        JsonNode issued = capture.challenge();
        List<String> actions = new ArrayList<>();
        issued.get("actions").forEach(a -> actions.add(a.asText()));
        long issuedAt = Instant.parse(issued.get("issuedAt").asText()).toEpochMilli();
        byte[] bundle = ChallengeBenchmark.challengeBundle(frames, still, issued.get("nonce").asText(), actions, issuedAt + 100,
                capture.serverKey(), capture.kid());
        long wait = issuedAt + 100 + (frames.size() - 1) * ChallengeBenchmark.FRAME_MS + 100 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        return HttpRequest.newBuilder(URI.create(gateway + "/challenge/verify")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build();
    }

    /** BioServer sessions of the load: a new one (the stage's work too) every {@link BioServerBenchmark#FACES_PER_SESSION} faces. */
    private static final class BioSessions {
        private final String gateway;
        private String session;
        private int faces;

        BioSessions(String gateway) {
            this.gateway = gateway;
        }

        synchronized String next() throws Exception {
            if (session == null || faces == BioServerBenchmark.FACES_PER_SESSION) {
                HttpResponse<String> created = HTTP.send(BioServerBenchmark.sessionRequest(gateway, false).timeout(Duration.ofSeconds(60))
                        .header("X-Tenant-Id", BioServerBenchmark.TENANT).build(), HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("POST bio-sessions answered " + created.statusCode());
                }
                session = BioServerBenchmark.id(created);
                faces = 0;
            }
            faces++;
            return session;
        }
    }

    @Override
    public void close() {
        kafka.close();
    }
}
