package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant quotas over HTTP and the real broker (issue #13): one tenant's flood is answered 429 +
 * Retry-After in the API's format while another tenant's requests still go through.
 */
class TenantQuotaIntegrationTest {
    static WiredPlatform platform;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
    }

    static Http.Answer digest(int port, String tenant, String payload) {
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/diagnostic/digest"))
                .timeout(Duration.ofSeconds(90)).header("X-Tenant-Id", tenant).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.getBytes(StandardCharsets.UTF_8))).build());
    }

    @Test
    void aTenantAboveItsRateIsShedWhileAnotherTenantGoesThrough() {
        int gateway = platform.gateway("gw-quota-rate", "openbio.gateway.tenant.max-rate=1", "openbio.gateway.tenant.burst=3");
        List<Http.Answer> flood = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            flood.add(digest(gateway, "flooder", "flood " + i));
        }
        List<Http.Answer> shed = flood.stream().filter(a -> a.status() == 429).toList();
        assertThat(flood.stream().filter(a -> a.status() == 200).count()).as("the burst goes through").isGreaterThanOrEqualTo(3);
        assertThat(shed).as("the rest of 12 requests in well under 12 s is shed").hasSizeGreaterThanOrEqualTo(5);
        Http.Answer first = shed.get(0);
        assertThat(first.raw().headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
        assertThat(first.json().get("error_code").asText()).isEqualTo("TOO_MANY_REQUESTS");
        assertThat(first.json().get("message").asText()).contains("tenant");

        Http.Answer other = digest(gateway, "quiet", "not flooding");
        assertThat(other.status()).as("another tenant is not shed: " + other.body()).isEqualTo(200);
    }

    @Test
    void aTenantWithTooManyPendingRequestsIsShedWhileAnotherTenantIsAdmitted() throws Exception {
        int gateway = platform.gateway("gw-quota-pending", "openbio.gateway.tenant.max-pending=2", "openbio.gateway.request-timeout=60s");
        platform.stopProcessor("image-info");
        List<CompletableFuture<Http.Answer>> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String payload = "pending " + i;
                waiting.add(CompletableFuture.supplyAsync(() -> digest(gateway, "flooder", payload)));
            }
            await("2 requests of the flooder pending").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> PipelineIntegrationTest.pending(gateway), n -> n >= 2);
            Http.Answer shed = digest(gateway, "flooder", "one too many");
            assertThat(shed.status()).as(shed.body()).isEqualTo(429);
            assertThat(shed.raw().headers().firstValue("Retry-After")).contains("1");
            assertThat(shed.json().get("error_code").asText()).isEqualTo("TOO_MANY_REQUESTS");

            CompletableFuture<Http.Answer> quiet = CompletableFuture.supplyAsync(() -> digest(gateway, "quiet", "admitted"));
            await("the other tenant's request is admitted (pending, not shed)").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> PipelineIntegrationTest.pending(gateway), n -> n >= 3);
            waiting.add(quiet);
        } finally {
            platform.startProcessor("image-info");
        }
        for (CompletableFuture<Http.Answer> w : waiting) {
            Http.Answer answer = w.get(90, TimeUnit.SECONDS);
            assertThat(answer.status()).as("answered once the stage is back: " + answer.body()).isEqualTo(200);
        }
        assertThat(digest(gateway, "flooder", "after").status()).as("the flooder's places are released").isEqualTo(200);
    }
}
