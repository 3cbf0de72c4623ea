package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.LcpAuditEvent;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Liveness Check Proxy audit log over HTTP and the real broker: audit events produced to
 * {@code openbio.lcp.audit} as the verify stage writes them (images sealed with the platform's
 * PayloadCipher under the audit log id), read back through the gateway and the lcp-audit stage's
 * stores: the list newest first, paging, the detail with the opened images, the seed's errors, and
 * ADMIN only (a USER key 403, no key 401), one tenant never seeing another's entries.
 */
class LcpAuditIntegrationTest {
    static final String INVALID = "{\"status\":\"ERROR\",\"responseObject\":{\"code\":\"ERROR_REQUEST\",\"message\":\"Invalid method arguments.\"}}";
    static final String NOT_FOUND = "{\"status\":\"ERROR\",\"responseObject\":{\"code\":\"ERROR_REQUEST\",\"message\":\"Audit log was not found.\"}}";

    static WiredPlatform platform;
    static int gateway;
    static long now;
    static byte[] probe;
    static byte[] trusted;
    /** Alice's events of tenant lcp-a, oldest first. */
    static final List<String> alice = new ArrayList<>();
    static String otherTenants;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        String keys = "lcp-a:ADMIN:" + ApiKeys.sha256("lcp-admin-a") + ",lcp-a:USER:" + ApiKeys.sha256("lcp-user-a")
                + ",lcp-b:ADMIN:" + ApiKeys.sha256("lcp-admin-b");
        gateway = platform.gateway("gw-lcp-audit", "openbio.security.api-keys=" + keys);
        now = System.currentTimeMillis();
        probe = image(1);
        trusted = image(2);
        List<LcpAuditEvent> events = new ArrayList<>();
        events.add(event("lcp-a", "alice", now - 4000, "INIT", "Received request to verify liveness from userId=alice.", null, null));
        events.add(event("lcp-a", "alice", now - 3000, "REFERENCE_IMAGE", "User with userId=alice recorded reference image.", null, trusted));
        events.add(event("lcp-a", "alice", now - 2000, "PROBE_IMAGE", "User with userId=alice recorded probe image.", probe, null));
        events.add(event("lcp-a", "alice", now - 1000, "RESULT", "Liveness of userId=alice: ACCEPTED.", null, null));
        events.forEach(e -> alice.add(e.getId()));
        LcpAuditEvent ofB = event("lcp-b", "alice", now - 500, "INIT", "Received request to verify liveness from userId=alice.", probe, trusted);
        otherTenants = ofB.getId();
        events.add(ofB);
        events.add(event("lcp-a", "bob", now - 100, "INIT", "Received request to verify liveness from userId=bob.", null, null));
        produce(platform, events);
    }

    /** An audit event as the verify stage writes it: images sealed for the tenant under the audit log id. */
    static LcpAuditEvent event(String tenant, String userId, long timestamp, String kind, String message, byte[] probeImage, byte[] trustedImage) {
        String id = UUID.randomUUID().toString();
        return LcpAuditEvent.newBuilder().setId(id).setTenant(tenant).setUserId(userId)
                .setTimestamp(java.time.Instant.ofEpochMilli(timestamp)).setKind(kind).setMessage(message)
                .setProbeImage(probeImage == null ? null : ByteBuffer.wrap(PayloadKeys.shared().seal(tenant, Purpose.IMAGE, id, probeImage)))
                .setTrustedImage(trustedImage == null ? null : ByteBuffer.wrap(PayloadKeys.shared().seal(tenant, Purpose.IMAGE, id, trustedImage)))
                .setParams(new HashMap<>()).build();
    }

    /** Produces {@code events} to openbio.lcp.audit keyed {@code <tenant>/<userId>}, and waits for the broker's acknowledgement. */
    static void produce(WiredPlatform platform, List<LcpAuditEvent> events) throws Exception {
        try (KafkaProducer<String, LcpAuditEvent> producer = new KafkaProducer<>(platform.settings.producer("lcp-audit-test"),
                new StringSerializer(), Topics.LCP_AUDIT.valueSerde(platform.settings.serdes()).serializer())) {
            for (LcpAuditEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.LCP_AUDIT.name(), LcpContract.auditUserKey(event.getTenant(), event.getUserId()), event)).get();
            }
        }
    }

    static byte[] image(int seed) {
        byte[] bytes = new byte[2048];
        new Random(seed).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        return bytes;
    }

    static Http.Answer get(String key, String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + pathAndQuery)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("x-api-key", key);
        }
        return Http.send(b.build());
    }

    static List<String> ids(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().get("records").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    /** Alice's list once the stage has stored all four of her events. */
    static Http.Answer aliceListed() {
        return await("alice's four audit records").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("lcp-admin-a", "/admin/audit/users/alice"), a -> a.status() != 200 || ids(a).size() >= 4);
    }

    @Test
    void anAdminListsAUsersRecordsNewestFirstAndPagesThem() {
        Http.Answer listed = aliceListed();
        List<String> newestFirst = new ArrayList<>(alice);
        java.util.Collections.reverse(newestFirst);
        assertThat(ids(listed)).containsExactlyElementsOf(newestFirst);
        JsonNode first = listed.json().get("records").get(0);
        assertThat(first.size()).as("id, timestamp, message only: " + first).isEqualTo(3);
        assertThat(first.get("timestamp").asLong()).isEqualTo(now - 1000);
        assertThat(first.get("message").asText()).isEqualTo("Liveness of userId=alice: ACCEPTED.");

        assertThat(ids(get("lcp-admin-a", "/admin/audit/users/alice?pageSize=1&pageNumber=1"))).as("the second newest")
                .containsExactly(newestFirst.get(1));
        assertThat(ids(get("lcp-admin-a", "/admin/audit/users/alice?pageSize=3&pageNumber=1"))).containsExactly(newestFirst.get(3));
        assertThat(ids(get("lcp-admin-a", "/admin/audit/users/alice?start=" + (now - 3000) + "&end=" + (now - 2000))))
                .as("both bounds inclusive").containsExactly(newestFirst.get(1), newestFirst.get(2));
        assertThat(ids(get("lcp-admin-a", "/admin/audit/users/alice?end=" + (now - 31L * 24 * 3600 * 1000)))).as("30 days before an old end")
                .isEmpty();
        assertThat(ids(get("lcp-admin-b", "/admin/audit/users/alice"))).as("tenant b's alice").containsExactly(otherTenants);
    }

    @Test
    void theDetailHasTheUserAndTheImagesAndAnUnknownIdIsTheSeeds400() {
        aliceListed();
        JsonNode probeEntry = get("lcp-admin-a", "/admin/audit/" + alice.get(2)).json();
        assertThat(probeEntry.get("id").asText()).isEqualTo(alice.get(2));
        assertThat(probeEntry.get("timestamp").asLong()).isEqualTo(now - 2000);
        assertThat(probeEntry.get("message").asText()).isEqualTo("User with userId=alice recorded probe image.");
        assertThat(probeEntry.get("params").size()).isEqualTo(2);
        assertThat(probeEntry.at("/params/userId").asText()).isEqualTo("alice");
        assertThat(Base64.getDecoder().decode(probeEntry.at("/params/probeImage").asText())).isEqualTo(probe);

        JsonNode referenceEntry = get("lcp-admin-a", "/admin/audit/" + alice.get(1)).json();
        assertThat(Base64.getDecoder().decode(referenceEntry.at("/params/trustedImage").asText())).isEqualTo(trusted);
        assertThat(referenceEntry.at("/params/probeImage").isMissingNode()).isTrue();

        Http.Answer unknown = get("lcp-admin-a", "/admin/audit/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json()).isEqualTo(parse(NOT_FOUND));
        Http.Answer another = get("lcp-admin-a", "/admin/audit/" + otherTenants);
        assertThat(another.status()).as("another tenant's entry").isEqualTo(400);
        assertThat(another.json()).isEqualTo(parse(NOT_FOUND));
    }

    @Test
    void invalidArgumentsAreTheSeeds400() {
        for (String query : List.of("start=abc", "pageSize=0", "pageNumber=-1", "pageSize=1001", "start=20&end=10")) {
            Http.Answer answer = get("lcp-admin-a", "/admin/audit/users/alice?" + query);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(answer.json()).as(query).isEqualTo(parse(INVALID));
        }
    }

    @Test
    void onlyAdminsMayReadIt() {
        Http.Answer user = get("lcp-user-a", "/admin/audit/users/alice");
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.json().at("/status").asText()).isEqualTo("ERROR");
        assertThat(user.json().at("/responseObject/code").asText()).isEqualTo("ERROR_FORBIDDEN");
        assertThat(get("lcp-user-a", "/admin/audit/" + alice.get(0)).status()).isEqualTo(403);
        Http.Answer none = get(null, "/admin/audit/users/alice");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().at("/responseObject/code").asText()).isEqualTo("ERROR_UNAUTHORIZED");
        assertThat(get(null, "/admin/audit/" + alice.get(0)).status()).isEqualTo(401);
        assertThat(get("wrong-key", "/admin/audit/users/alice").status()).isEqualTo(401);
    }

    private static JsonNode parse(String json) {
        try {
            return Http.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
