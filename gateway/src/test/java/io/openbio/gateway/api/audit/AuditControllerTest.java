package io.openbio.gateway.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.events.AuditEvent;
import io.openbio.events.Signal;
import io.openbio.gateway.web.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameter parsing, filtering and the JSON shape of the audit read API, without a broker. */
class AuditControllerTest {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void instantsAreIsoOrEpochMillis() {
        assertThat(AuditController.instant("since", null, NOW)).isEqualTo(NOW);
        assertThat(AuditController.instant("since", " ", NOW)).isEqualTo(NOW);
        assertThat(AuditController.instant("since", "2026-01-01T00:00:00Z", NOW)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(AuditController.instant("since", "2026-01-01T02:00:00+02:00", NOW)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(AuditController.instant("since", "1767225600000", NOW)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        for (String bad : List.of("yesterday", "2026-01-01", "-5", "1.5", "99999999999999999999")) {
            assertThatThrownBy(() -> AuditController.instant("since", bad, NOW)).as(bad)
                    .isInstanceOf(ApiException.class).hasMessageContaining("'since'")
                    .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        }
    }

    @Test
    void limitIsOneToOneThousand() {
        assertThat(AuditController.limit(null)).isEqualTo(100);
        assertThat(AuditController.limit("1")).isEqualTo(1);
        assertThat(AuditController.limit("1000")).isEqualTo(1000);
        for (String bad : List.of("0", "-1", "1001", "abc", "1e3")) {
            assertThatThrownBy(() -> AuditController.limit(bad)).as(bad).isInstanceOf(ApiException.class).hasMessageContaining("'limit'");
        }
    }

    static AuditEvent event(String tenant, String id, String operation, Instant completed) {
        return AuditEvent.newBuilder().setRequestId(id).setTenant(tenant).setOperation(operation)
                .setCreatedAt(completed.minusSeconds(1)).setCompletedAt(completed).setOutcome("OK").setHttpStatus(200)
                .setSummary(Map.of("probability", "0.9100"))
                .setSignals(List.of(new Signal("virtual_camera", true, "Integrated Camera", null)))
                .setStages(List.of("decrypt", "liveness")).build();
    }

    @Test
    void queriesMatchTenantIdOperationAndAHalfOpenWindowOnCompletedAt() {
        AuditScan.Query query = new AuditScan.Query("a", null, null, NOW.minusSeconds(60), NOW, 10);
        assertThat(query.matches(event("a", "1", "x", NOW.minusSeconds(60)))).as("since is inclusive").isTrue();
        assertThat(query.matches(event("a", "1", "x", NOW))).as("until is exclusive").isFalse();
        assertThat(query.matches(event("b", "1", "x", NOW.minusSeconds(1)))).as("another tenant").isFalse();
        AuditScan.Query byId = new AuditScan.Query("a", "1", "x", NOW.minusSeconds(60), NOW, 10);
        assertThat(byId.matches(event("a", "1", "x", NOW.minusSeconds(1)))).isTrue();
        assertThat(byId.matches(event("a", "2", "x", NOW.minusSeconds(1)))).isFalse();
        assertThat(byId.matches(event("a", "1", "y", NOW.minusSeconds(1)))).isFalse();
    }

    @Test
    void recordsRenderEveryFieldAndSignalsAsObjects() {
        Map<String, Object> json = AuditController.json(event("a", "r-1", "iad.check_capture_liveness", NOW));
        assertThat(json).containsKeys("requestId", "tenant", "operation", "createdAt", "completedAt", "outcome", "errorCode",
                "httpStatus", "summary", "signals", "stages");
        assertThat(json.get("completedAt")).isEqualTo("2026-11-22T10:00:00Z");
        @SuppressWarnings("unchecked")
        Map<String, Object> signal = ((List<Map<String, Object>>) json.get("signals")).get(0);
        assertThat(signal).containsEntry("name", "virtual_camera").containsEntry("passed", true)
                .containsEntry("detail", "Integrated Camera").containsEntry("value", null);
        assertThat(json.get("stages")).isEqualTo(List.of("decrypt", "liveness"));
    }
}
