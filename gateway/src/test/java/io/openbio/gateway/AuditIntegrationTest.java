package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.gateway.security.ApiKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /audit/records over HTTP and the real broker: ADMIN only, per tenant, filters, 400s. */
class AuditIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static Instant started;
    static String a1;
    static String a2;
    static String b1;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        String keys = "audit-a:ADMIN:" + ApiKeys.sha256("audit-admin-a") + ",audit-a:USER:" + ApiKeys.sha256("audit-user-a")
                + ",audit-b:ADMIN:" + ApiKeys.sha256("audit-admin-b");
        gateway = platform.gateway("gw-audit", "openbio.security.api-keys=" + keys);
        started = Instant.now().minusSeconds(1);
        a1 = digest("audit-admin-a", "first of a");
        a2 = digest("audit-user-a", "second of a");
        b1 = digest("audit-admin-b", "only of b");
    }

    static String digest(String key, String payload) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/diagnostic/digest"))
                .timeout(Duration.ofSeconds(60)).header("x-api-key", key).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.getBytes(StandardCharsets.UTF_8))).build();
        Http.Answer answer = Http.send(request);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("requestId").asText();
    }

    static Http.Answer audit(String key, String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/audit/records" + query))
                .timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("apikey", key);
        }
        return Http.send(b.build());
    }

    static List<String> ids(Http.Answer answer) {
        List<String> ids = new ArrayList<>();
        answer.json().get("records").forEach(r -> ids.add(r.get("requestId").asText()));
        return ids;
    }

    /** The records, once the ones expected are there (they are written in the same transaction as the reply). */
    static Http.Answer auditUntil(String key, String query, List<String> expected) {
        Http.Answer answer = await("audit records " + expected).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> audit(key, query), a -> a.status() != 200 || ids(a).containsAll(expected));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer;
    }

    @Test
    void anAdminSeesItsOwnTenantsRecordsOnly() throws Exception {
        Http.Answer answer = auditUntil("audit-admin-a", "", List.of(a1, a2));
        assertThat(ids(answer)).contains(a1, a2).doesNotContain(b1);
        assertThat(answer.json().get("count").asInt()).isEqualTo(answer.json().get("records").size());
        assertThat(answer.json().get("truncated").asBoolean()).isFalse();
        for (JsonNode record : answer.json().get("records")) {
            assertThat(record.get("tenant").asText()).isEqualTo("audit-a");
        }
        JsonNode first = null;
        for (JsonNode record : answer.json().get("records")) {
            if (record.get("requestId").asText().equals(a1)) {
                first = record;
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.get("operation").asText()).isEqualTo("diagnostic.digest");
        assertThat(first.get("outcome").asText()).isEqualTo("OK");
        assertThat(first.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(first.get("errorCode").isNull()).isTrue();
        assertThat(first.at("/summary/sizeBytes").asText()).isEqualTo(Integer.toString("first of a".length()));
        assertThat(first.get("signals").isArray()).isTrue();
        assertThat(first.get("stages").toString()).isEqualTo("[\"digest\",\"image-info\"]");
        assertThat(Instant.parse(first.get("completedAt").asText())).isAfterOrEqualTo(Instant.parse(first.get("createdAt").asText()));

        Http.Answer ofB = auditUntil("audit-admin-b", "", List.of(b1));
        assertThat(ids(ofB)).contains(b1).doesNotContain(a1, a2);
        assertThat(audit("audit-admin-a", "?requestId=" + b1).json().get("count").asInt())
                .as("another tenant's request id finds nothing").isZero();
    }

    @Test
    void filtersByRequestIdOperationTimeAndLimit() throws Exception {
        auditUntil("audit-admin-a", "", List.of(a1, a2));
        Http.Answer one = audit("audit-admin-a", "?requestId=" + a2);
        assertThat(ids(one)).containsExactly(a2);
        assertThat(one.json().get("count").asInt()).isEqualTo(1);

        assertThat(ids(audit("audit-admin-a", "?operation=diagnostic.digest&since=" + started))).contains(a1, a2);
        assertThat(audit("audit-admin-a", "?operation=iad.check_capture_liveness&since=" + started).json().get("count").asInt()).isZero();
        assertThat(ids(audit("audit-admin-a", "?since=" + started.toEpochMilli() + "&until=" + Instant.now().plusSeconds(60).toEpochMilli())))
                .as("epoch milliseconds").contains(a1, a2);
        assertThat(audit("audit-admin-a", "?since=" + Instant.now().plusSeconds(3600)).json().get("count").asInt())
                .as("a window in the future").isZero();

        Http.Answer limited = audit("audit-admin-a", "?limit=1&since=" + started);
        assertThat(limited.json().get("count").asInt()).isEqualTo(1);
        assertThat(limited.json().get("truncated").asBoolean()).isTrue();
    }

    @Test
    void usersAreRefusedWith403AndCallersWithoutAKeyWith401() {
        Http.Answer user = audit("audit-user-a", "");
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.json().get("error_code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(user.json().get("path").asText()).isEqualTo("/audit/records");
        assertThat(audit(null, "").status()).isEqualTo(401);
        assertThat(audit("wrong-key", "").status()).isEqualTo(401);
    }

    @Test
    void badParametersAre400InTheIadFormat() {
        for (String query : List.of("?limit=0", "?limit=abc", "?limit=1001", "?since=yesterday", "?until=2026-13-01T00:00:00Z",
                "?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z")) {
            Http.Answer answer = audit("audit-admin-a", query);
            assertThat(answer.status()).as(query + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.json().get("error_code").asText()).isEqualTo("UNKNOWN");
            assertThat(answer.json().get("path").asText()).isEqualTo("/audit/records");
            assertThat(answer.json().get("message").asText()).isNotBlank();
        }
    }

    @Test
    void withoutApiKeysItIsOpenAndTheTenantIsTheHeaders() throws Exception {
        int open = platform.gateway("gw-a");
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open + "/diagnostic/digest"))
                .timeout(Duration.ofSeconds(60)).header("X-Tenant-Id", "audit-open").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray("open".getBytes(StandardCharsets.UTF_8))).build();
        Http.Answer done = Http.send(post);
        assertThat(done.status()).isEqualTo(200);
        String id = done.json().get("requestId").asText();
        Http.Answer answer = await("audit record " + id).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> openAudit(open, id, "audit-open"), a -> a.status() != 200 || !ids(a).isEmpty());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(ids(answer)).containsExactly(id);
        assertThat(ids(openAudit(open, id, "someone-else"))).isEmpty();
    }

    static Http.Answer openAudit(int port, String id, String tenant) {
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/audit/records?requestId=" + id))
                .timeout(Duration.ofSeconds(30)).header("X-Tenant-Id", tenant).GET().build());
    }

    @Test
    void theOpenApiDocumentHasTheEndpoint() {
        Http.Answer docs = Http.get(gateway, "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode get = docs.json().at("/paths/~1audit~1records/get");
        assertThat(get.isMissingNode()).as("OpenAPI documents GET /audit/records").isFalse();
        List<String> parameters = new ArrayList<>();
        get.get("parameters").forEach(p -> parameters.add(p.get("name").asText()));
        assertThat(parameters).contains("requestId", "operation", "since", "until", "limit");
    }
}
