package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.LcpAuditEvent;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.schemas.Topics;
import io.openbio.testkit.Photos;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Liveness Check Proxy (seed 001) over real HTTP, the embedded broker and the real stages and
 * models: the reference face of a user stored through the admin API, init, verify on plain images and
 * capture bundles (the nonce stage's single use: a replayed bundle is REJECTED), the seed's errors, the
 * ADMIN role on {@code /admin/users}, the audit events on {@code openbio.lcp.audit} with their images
 * sealed, and a user-details provider that is down (409 ERROR_REMOTE).
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class LcpIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static CaptureClient client;
    static byte[] reference;
    static byte[] probe;
    static byte[] otherMan;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-lcp");
        client = new CaptureClient(gateway);
        reference = Photos.panel(Photos.SAME_MAN_X3, 0, 3);
        probe = Photos.panel(Photos.SAME_MAN_X3, 1, 3);
        otherMan = Photos.bytes(Photos.MAN_B);
    }

    static Http.Answer json(int port, String method, String path, String body, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return Http.send(request.build());
    }

    static Http.Answer putReference(int port, String userId, byte[] image, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/users/" + userId + "/reference"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "image/jpeg").PUT(HttpRequest.BodyPublishers.ofByteArray(image));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return Http.send(request.build());
    }

    static Http.Answer init(String userId) {
        return json(gateway, "POST", "/liveness/init", "{\"userId\":\"" + userId + "\"}", null);
    }

    static Http.Answer verify(String userId, byte[] image) {
        return json(gateway, "POST", "/liveness/verify", "{\"userId\":\"" + userId + "\",\"livenessRecord\":{\"image\":\""
                + Base64.getEncoder().encodeToString(image) + "\"}}", null);
    }

    static void assertSeedError(Http.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("status").asText()).isEqualTo("ERROR");
        assertThat(answer.json().at("/responseObject/code").asText()).as(answer.body()).isEqualTo(code);
    }

    /** Waits until {@code check} holds (the user store is read back as a global store: visible within moments). */
    static void await(Supplier<Boolean> check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.get()) {
            assertThat(System.nanoTime()).as("waited 30 s for: " + what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void imageStyleEndToEndWithTheSeedsErrorsAndTheAuditLog() throws Exception {
        // set-up: user1's reference face; the user store is visible to init once the stage has read it back
        Http.Answer stored = putReference(gateway, "user1", reference, null);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().get("userId").asText()).isEqualTo("user1");
        assertThat(stored.body()).doesNotContain("image");
        await(() -> Http.get(gateway, "/admin/users/user1/reference").status() == 200, "user1's reference readable");

        Http.Answer init = init("user1");
        assertThat(init.status()).as(init.body()).isEqualTo(200);
        assertThat(init.body()).isEqualTo("{\"initiationType\":\"NONE\",\"reference\":null}");

        Http.Answer same = verify("user1", probe);
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(same.body()).isEqualTo("{\"result\":\"ACCEPTED\",\"selfie\":null}");
        Http.Answer other = verify("user1", otherMan);
        assertThat(other.json().get("result").asText()).as(other.body()).isEqualTo("REJECTED");

        // a capture bundle: ACCEPTED once; the same bundle again is a replay (the nonce stage's single use)
        byte[] bundle = client.bundle(probe, "Integrated Camera");
        Http.Answer first = verify("user1", bundle);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("result").asText()).as(first.body()).isEqualTo("ACCEPTED");
        Http.Answer replay = verify("user1", bundle);
        assertThat(replay.json().get("result").asText()).as(replay.body()).isEqualTo("REJECTED");

        // the seed's errors
        assertSeedError(init("nobody"), 400, "USER_DETAILS_MISSING");
        assertSeedError(verify("nobody", probe), 400, "USER_DETAILS_MISSING");
        assertSeedError(json(gateway, "POST", "/liveness/init", "{}", null), 400, "ERROR_REQUEST");
        assertSeedError(json(gateway, "POST", "/liveness/verify", "{\"userId\":\"user1\"}", null), 400, "ERROR_REQUEST");
        assertSeedError(verify("user1", "selfieImage".getBytes(StandardCharsets.UTF_8)), 400, "ERROR_REQUEST");
        assertSeedError(putReference(gateway, "user3", Photos.bytes(Photos.SUDOKU), null), 400, "ERROR_REQUEST");
        // a user without a reference face: known, its reference removed
        assertThat(putReference(gateway, "user2", reference, null).status()).isEqualTo(200);
        await(() -> Http.get(gateway, "/admin/users/user2/reference").status() == 200, "user2's reference readable");
        assertThat(json(gateway, "DELETE", "/admin/users/user2/reference", null, null).status()).isEqualTo(204);
        await(() -> Http.get(gateway, "/admin/users/user2/reference").status() == 404, "user2's reference gone");
        assertSeedError(init("user2"), 400, "INITIATION_ERROR");
        assertSeedError(verify("user2", probe), 400, "VERIFICATION_ERROR");
        assertThat(json(gateway, "DELETE", "/admin/users/user2", null, null).status()).isEqualTo(204);
        await(() -> init("user2").json().at("/responseObject/code").asText().equals("USER_DETAILS_MISSING"), "user2 forgotten");

        // the audit log: user1's events, in order, images sealed
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(platform.settings.bootstrapServers(), Topics.LCP_AUDIT.name(),
                seen -> seen.stream().filter(r -> "default/user1".equals(r.key())).count() >= 14, Duration.ofSeconds(30));
        List<ConsumerRecord<String, byte[]>> user1 = records.stream().filter(r -> "default/user1".equals(r.key())).toList();
        List<LcpAuditEvent> events = user1.stream().map(r -> decode(r.value())).toList();
        assertThat(events).extracting(LcpAuditEvent::getKind).startsWith("REFERENCE_IMAGE", "INIT",
                "VERIFY", "PROBE_IMAGE", "RESULT", "VERIFY", "PROBE_IMAGE", "RESULT", "VERIFY", "PROBE_IMAGE", "RESULT", "VERIFY", "PROBE_IMAGE", "RESULT");
        assertThat(events.get(13).getParams()).as("the replayed bundle").containsEntry("result", "REJECTED").containsEntry("reason", "INJECTION:nonce");
        assertThat(events.get(1).getMessage()).isEqualTo("Received request to initiate liveness verification for userId=user1.");
        assertThat(events.get(2).getMessage()).isEqualTo("Received request to verify liveness from userId=user1.");
        assertThat(events.get(3).getMessage()).isEqualTo("User with userId=user1 recorded probe image.");
        assertThat(events.get(3).getProbeImage()).isNotNull();
        assertThat(events.get(3).getTrustedImage()).isNotNull();
        assertThat(events.get(4).getParams()).containsEntry("result", "ACCEPTED").containsKey("matchProbability");
        assertThat(events.get(7).getParams()).containsEntry("result", "REJECTED").containsEntry("reason", "NO_MATCH");
        for (ConsumerRecord<String, byte[]> record : user1) {
            assertThat(inTheClear(record.value())).as("no image in the clear on %s", Topics.LCP_AUDIT.name()).isFalse();
        }
        List<ConsumerRecord<String, byte[]>> users = TopicReader.readUntil(platform.settings.bootstrapServers(), Topics.LCP_REFERENCES.name(),
                seen -> seen.stream().anyMatch(r -> "default/user1".equals(r.key())), Duration.ofSeconds(30));
        assertThat(users).isNotEmpty().allSatisfy(r -> assertThat(r.value() == null || !inTheClear(r.value())).isTrue());
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theUserAdministrationNeedsAnAdminKey() throws Exception {
        String keys = "lcp:USER:" + ApiKeys.sha256("lcp-user-key") + ",lcp:ADMIN:" + ApiKeys.sha256("lcp-admin-key");
        int guarded = platform.gateway("gw-lcp-keys", "openbio.security.api-keys=" + keys);
        Http.Answer user = putReference(guarded, "user1", reference, "lcp-user-key");
        assertSeedError(user, 403, "ERROR_FORBIDDEN");
        assertSeedError(json(guarded, "GET", "/admin/users/user1/reference", null, "lcp-user-key"), 403, "ERROR_FORBIDDEN");
        assertSeedError(json(guarded, "POST", "/liveness/init", "{\"userId\":\"user1\"}", null), 401, "ERROR_UNAUTHORIZED");
        Http.Answer admin = putReference(guarded, "user1", reference, "lcp-admin-key");
        assertThat(admin.status()).as(admin.body()).isEqualTo(200);
        // the tenant is the key's: tenant lcp's user1 is not tenant default's
        await(() -> json(guarded, "POST", "/liveness/init", "{\"userId\":\"user1\"}", "lcp-user-key").status() == 200, "lcp/user1 known");
        assertSeedError(json(guarded, "POST", "/liveness/init", "{\"userId\":\"someone\"}", "lcp-user-key"), 400, "USER_DETAILS_MISSING");
    }

    /** The stage restarted with a user-details provider that nobody serves: 409 ERROR_REMOTE; then back to the user store. */
    @Test
    @org.junit.jupiter.api.Order(3)
    void aUserDetailsProviderThatIsDownIsErrorRemote() throws Exception {
        String property = io.openbio.schemas.settings.Settings.LCP_USER_DETAILS_URL.property();
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        platform.stopProcessor("lcp-verify");
        System.setProperty(property, "http://127.0.0.1:" + closed + "/users/{userId}");
        try {
            assertThat(platform.startProcessor("lcp-verify").awaitReady(Duration.ofSeconds(60))).isTrue();
            Http.Answer answer = init("user1");
            assertSeedError(answer, 409, "ERROR_REMOTE");
            assertThat(answer.json().at("/responseObject/message").asText()).isEqualTo("REST API call failed when fetching User Details.");
            assertSeedError(verify("user1", probe), 409, "ERROR_REMOTE");
        } finally {
            platform.stopProcessor("lcp-verify");
            System.clearProperty(property);
            assertThat(platform.startProcessor("lcp-verify").awaitReady(Duration.ofSeconds(60))).isTrue();
        }
    }

    /** A record value in the registry's wire format (magic byte, 4-byte schema id, Avro binary) as the event. */
    static LcpAuditEvent decode(byte[] value) {
        try {
            return new SpecificDatumReader<>(LcpAuditEvent.class).read(null,
                    DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether {@code bytes} hold the reference or the probe image in the clear: their JPEG header or a stretch of their data. */
    static boolean inTheClear(byte[] bytes) {
        for (byte[] image : List.of(reference, probe)) {
            if (contains(bytes, java.util.Arrays.copyOfRange(image, 0, 16))
                    || contains(bytes, java.util.Arrays.copyOfRange(image, image.length / 2, image.length / 2 + 32))) {
                return true;
            }
        }
        return false;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
