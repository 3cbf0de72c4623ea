package io.openbio.processors.lcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.AuditEvent;
import io.openbio.events.LcpAuditEvent;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.processors.TestSealing;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpAuditQuery;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.testkit.Drivers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lcp-audit stage on its own: events in on {@code openbio.lcp.audit} keyed as the verify stage
 * keys them, queries in keyed as the gateway keys them, every answer read from the result topic, the
 * reply topic and the audit trail (each read in full). Wall-clock time is the driver's, starting at
 * {@link Drivers#START}, so the default window and the retention purge are tested without sleeping.
 */
class LcpAuditTopologyTest {
    private static final String REPLY_TO = "openbio.replies.gw-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = Drivers.START.toEpochMilli();
    private static final long DAY = Duration.ofDays(1).toMillis();

    private Drivers.Driver driver;
    private TestInputTopic<String, LcpAuditEvent> events;
    private TestInputTopic<String, RequestEnvelope> queries;
    private TestOutputTopic<String, ResultEvent> results;
    private TestOutputTopic<String, ResultEvent> replies;
    private TestOutputTopic<String, AuditEvent> audit;
    private int requestCount;
    private int eventCount;

    @BeforeEach
    void start() {
        start(ProcessorSettings.defaults().withLcpAuditRetention(Duration.ofDays(400)));
    }

    private void start(ProcessorSettings settings) {
        driver = Drivers.start(new LcpAuditProcessor(settings).topology(Drivers.SERDES), Drivers.START);
        events = driver.input(Topics.LCP_AUDIT);
        queries = driver.input(Topics.LCP_AUDIT_QUERIES);
        results = driver.output(Topics.RESULTS);
        replies = driver.output(REPLY_TO, Topics.RESULTS);
        audit = driver.output(Topics.AUDIT);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aUsersHistoryIsListedNewestFirstAndPaged() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(event("t", "user-123", NOW - (5 - i) * 60_000L, null, null));
        }
        event("t", "user-456", NOW - 1000, null, null);
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);

        JsonNode all = ok(list("t", "user-123", Map.of()));
        assertThat(ids(all)).containsExactlyElementsOf(newestFirst);
        JsonNode first = all.get("records").get(0);
        assertThat(first.get("timestamp").asLong()).isEqualTo(NOW - 60_000L);
        assertThat(first.get("message").asText()).isEqualTo("Received request to verify liveness from userId=user-123.");
        assertThat(fieldNames(first)).as("summary only: no params, no images").containsExactly("id", "timestamp", "message");

        assertThat(ids(ok(list("t", "user-123", Map.of("pageSize", "1", "pageNumber", "1")))))
                .as("the second newest").containsExactly(newestFirst.get(1));
        assertThat(ids(ok(list("t", "user-123", Map.of("pageSize", "2", "pageNumber", "2"))))).containsExactly(newestFirst.get(4));
        assertThat(ids(ok(list("t", "user-123", Map.of("pageSize", "2", "pageNumber", "3"))))).isEmpty();
        assertThat(ids(ok(list("t", "nobody", Map.of())))).isEmpty();
        assertThat(ids(ok(list("other-tenant", "user-123", Map.of())))).as("another tenant's user of the same name").isEmpty();
        assertNoMoreOutput();
    }

    @Test
    void theWindowIsInclusiveAndDefaultsToThe30DaysBeforeEnd() {
        String old = event("t", "u", NOW - 31 * DAY, null, null);
        String inside = event("t", "u", NOW - 29 * DAY, null, null);
        String recent = event("t", "u", NOW - 1, null, null);

        assertThat(ids(ok(list("t", "u", Map.of())))).as("default: end = now, start = end - 30 days").containsExactly(recent, inside);
        assertThat(ids(ok(list("t", "u", Map.of("end", Long.toString(NOW - 2)))))).as("30 days before the given end")
                .containsExactly(inside);
        assertThat(ids(ok(list("t", "u", Map.of("start", "0"))))).containsExactly(recent, inside, old);
        long t = NOW - 29 * DAY;
        assertThat(ids(ok(list("t", "u", Map.of("start", Long.toString(t), "end", Long.toString(t)))))).as("both bounds inclusive")
                .containsExactly(inside);
        assertThat(ids(ok(list("t", "u", Map.of("start", Long.toString(t + 1), "end", Long.toString(NOW - 2)))))).isEmpty();
        assertNoMoreOutput();
    }

    @Test
    void oneUsersPrefixNeverMatchesAnothers() {
        String a = event("t", "a", NOW - 10, null, null);
        String ab = event("t", "a/b", NOW - 5, null, null);
        String escaped = event("t", "a%2Fb", NOW - 3, null, null);
        assertThat(ids(ok(list("t", "a", Map.of())))).containsExactly(a);
        assertThat(ids(ok(list("t", "a/b", Map.of())))).containsExactly(ab);
        assertThat(ids(ok(list("t", "a%2Fb", Map.of())))).containsExactly(escaped);
        assertNoMoreOutput();
    }

    @Test
    void invalidArgumentsAreTheSeedsErrorRequest() {
        event("t", "u", NOW - 10, null, null);
        for (Map<String, String> bad : List.of(Map.of("start", "yesterday"), Map.of("pageSize", "0"), Map.of("pageNumber", "-1"),
                Map.of("start", "20", "end", "10"), Map.of("pageSize", Integer.toString(LcpAuditQuery.MAX_PAGE_SIZE + 1)),
                Map.of("pageSize", "1.5"), Map.of("end", "-5"), Map.of("pageNumber", "99999999999"))) {
            assertThat(error(list("t", "u", bad))).as("%s", bad).isEqualTo("400 ERROR_REQUEST Invalid method arguments.");
        }
        assertThat(error(list("t", "", Map.of()))).isEqualTo("400 ERROR_REQUEST Invalid method arguments.");
        assertThat(ids(ok(list("t", "u", Map.of("pageSize", Integer.toString(LcpAuditQuery.MAX_PAGE_SIZE)))))).hasSize(1);
        assertNoMoreOutput();
    }

    @Test
    void theDetailCarriesTheUserAndTheOpenedImagesAndAnUnknownIdIsNotFound() {
        byte[] probe = image(1);
        byte[] trusted = image(2);
        String both = event("t", "user-123", NOW - 100, probe, trusted);
        String none = event("t", "user-123", NOW - 50, null, null);
        String probeOnly = event("t", "user-123", NOW - 10, probe, null);

        JsonNode detail = ok(detail("t", both));
        assertThat(fieldNames(detail)).containsExactly("id", "timestamp", "message", "params");
        assertThat(detail.get("id").asText()).isEqualTo(both);
        assertThat(detail.get("timestamp").asLong()).isEqualTo(NOW - 100);
        assertThat(detail.get("params").get("userId").asText()).isEqualTo("user-123");
        assertThat(Base64.getDecoder().decode(detail.get("params").get("probeImage").asText())).isEqualTo(probe);
        assertThat(Base64.getDecoder().decode(detail.get("params").get("trustedImage").asText())).isEqualTo(trusted);

        assertThat(fieldNames(ok(detail("t", none)).get("params"))).as("a param the event lacks is left out").containsExactly("userId");
        assertThat(fieldNames(ok(detail("t", probeOnly)).get("params"))).containsExactly("userId", "probeImage");

        assertThat(error(detail("t", "394a898b-26b4-4641-9f47-b4ea3488295e"))).isEqualTo("400 ERROR_REQUEST Audit log was not found.");
        assertThat(error(detail("other-tenant", both))).as("another tenant's entry").isEqualTo("400 ERROR_REQUEST Audit log was not found.");
        assertNoMoreOutput();
    }

    @Test
    void noStoreHoldsAPlaintextImageByte() {
        byte[] probe = image(3);
        byte[] trusted = image(4);
        String id = event("t", "u", NOW - 10, probe, trusted);
        int values = 0;
        for (String name : List.of(LcpAuditProcessor.USER_STORE, LcpAuditProcessor.ID_STORE,
                LcpAuditProcessor.USER_EXPIRY_STORE, LcpAuditProcessor.ID_EXPIRY_STORE)) {
            KeyValueStore<String, Object> store = driver.getKeyValueStore(name);
            try (KeyValueIterator<String, Object> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Object> entry = all.next();
                    byte[] stored = entry.value instanceof LcpAuditEvent event
                            ? Topics.LCP_AUDIT.valueSerde(Drivers.SERDES).serializer().serialize("x", event)
                            : entry.value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    for (byte[] image : List.of(probe, trusted)) {
                        // any 16 consecutive bytes of the image would show it was stored in clear
                        for (int at = 0; at + 16 <= image.length; at += 16) {
                            byte[] window = java.util.Arrays.copyOfRange(image, at, at + 16);
                            assertThat(indexOf(stored, window)).as("%s holds image bytes at %d", name, at).isNegative();
                        }
                    }
                    values++;
                }
            }
        }
        assertThat(values).as("one entry in each of the four stores").isEqualTo(4);
        assertThat(Base64.getDecoder().decode(ok(detail("t", id)).get("params").get("probeImage").asText())).isEqualTo(probe);
        assertNoMoreOutput();
    }

    @Test
    void entriesOlderThanTheRetentionArePurgedAndNeverStored() {
        // minutes instead of days: the driver fires the one-minute purge punctuator once per minute advanced
        long minute = 60_000L;
        driver.close();
        start(ProcessorSettings.defaults().withLcpAuditRetention(Duration.ofMinutes(10)));
        String tooOld = event("t", "u", NOW - 11 * minute, image(5), null);
        String older = event("t", "u", NOW - 9 * minute, image(6), null);
        String newer = event("t", "u", NOW - minute, null, null);
        assertThat(ids(ok(list("t", "u", Map.of())))).as("the 11-minute-old event was never stored")
                .containsExactly(newer, older);
        assertThat(error(detail("t", tooOld))).isEqualTo("400 ERROR_REQUEST Audit log was not found.");

        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(ids(ok(list("t", "u", Map.of("start", "0"))))).as("9 + 2 minutes old: purged").containsExactly(newer);
        assertThat(error(detail("t", older))).isEqualTo("400 ERROR_REQUEST Audit log was not found.");
        assertThat(ok(detail("t", newer)).get("id").asText()).isEqualTo(newer);
        assertThat(count(LcpAuditProcessor.USER_EXPIRY_STORE)).isEqualTo(1);
        assertThat(count(LcpAuditProcessor.ID_EXPIRY_STORE)).isEqualTo(1);
        assertNoMoreOutput();
    }

    // ------------------------------------------------------------------ helpers

    /** One audit event as the verify stage writes it (images sealed under the id); its id. */
    private String event(String tenant, String userId, long timestamp, byte[] probe, byte[] trusted) {
        String id = new java.util.UUID(0x1234L, ++eventCount).toString();
        LcpAuditEvent event = LcpAuditEvent.newBuilder()
                .setId(id).setTenant(tenant).setUserId(userId).setTimestamp(Instant.ofEpochMilli(timestamp))
                .setKind("INIT").setMessage("Received request to verify liveness from userId=" + userId + ".")
                .setRequestId("req-" + eventCount)
                .setProbeImage(probe == null ? null : seal(tenant, id, probe))
                .setTrustedImage(trusted == null ? null : seal(tenant, id, trusted))
                .setParams(new HashMap<>())
                .build();
        events.pipeInput(LcpContract.auditUserKey(tenant, userId), event, Instant.ofEpochMilli(timestamp));
        return id;
    }

    private static ByteBuffer seal(String tenant, String id, byte[] image) {
        return ByteBuffer.wrap(PayloadKeys.shared().seal(tenant, Purpose.IMAGE, id, image));
    }

    private static byte[] image(int seed) {
        byte[] bytes = new byte[512];
        new Random(seed).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        return bytes;
    }

    private ResultEvent list(String tenant, String userId, Map<String, String> params) {
        Map<String, String> attributes = new LinkedHashMap<>(params);
        attributes.put(LcpAuditQuery.USER_ID, userId);
        return query(tenant, LcpContract.AUDIT_LIST, LcpContract.auditUserKey(tenant, userId), attributes);
    }

    private ResultEvent detail(String tenant, String id) {
        return query(tenant, LcpContract.AUDIT_DETAIL, LcpContract.auditIdKey(tenant, id), Map.of(LcpAuditQuery.ID, id));
    }

    private ResultEvent query(String tenant, String operation, String key, Map<String, String> attributes) {
        String id = "q" + (++requestCount);
        queries.pipeInput(key, RequestEnvelope.newBuilder().setRequestId(id).setTenant(tenant).setOperation(operation)
                .setReplyTo(REPLY_TO).setCreatedAt(Instant.now()).setAttributes(attributes).build());
        List<KeyValue<String, ResultEvent>> answered = results.readKeyValuesToList();
        assertThat(answered).as("one result for %s", id).hasSize(1);
        assertThat(answered.get(0).key).isEqualTo(id);
        assertThat(replies.readKeyValuesToList()).as("the same answer on the reply topic").containsExactlyElementsOf(answered);
        List<KeyValue<String, AuditEvent>> trail = audit.readKeyValuesToList();
        assertThat(trail).extracting(kv -> kv.key, kv -> kv.value.getOperation()).containsExactly(org.assertj.core.api.Assertions.tuple(id, operation));
        return answered.get(0).value;
    }

    private static JsonNode ok(ResultEvent result) {
        assertThat(result.getError()).as("an answer, not an error").isNull();
        try {
            return JSON.readTree(TestSealing.json(result));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String error(ResultEvent result) {
        assertThat(result.getError()).as("an error").isNotNull();
        return result.getError().getStatus() + " " + result.getError().getCode() + " " + result.getError().getMessage();
    }

    private static List<String> ids(JsonNode page) {
        assertThat(fieldNames(page)).containsExactly("records");
        List<String> ids = new ArrayList<>();
        page.get("records").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private int count(String store) {
        KeyValueStore<String, Object> kv = driver.getKeyValueStore(store);
        int n = 0;
        try (KeyValueIterator<String, Object> all = kv.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void assertNoMoreOutput() {
        assertThat(results.isEmpty()).isTrue();
        assertThat(replies.isEmpty()).isTrue();
        assertThat(audit.isEmpty()).isTrue();
    }
}
