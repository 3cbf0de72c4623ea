package io.openbio.gateway.api.audit;

import io.openbio.events.AuditEvent;
import io.openbio.gateway.config.GatewayProperties;
import io.openbio.gateway.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /audit/records}: the audit trail of the caller's tenant, for operations. ADMIN role
 * only when API keys are configured ({@code AuditApi#adminRoutes()}, enforced by {@code security/SecurityConfig}: no key 401, a USER key 403); the
 * tenant is always the key's, so an ADMIN sees only its own tenant's records. With keys off it is
 * open like every endpoint and the tenant is {@code X-Tenant-Id} (else the default tenant).
 *
 * <p>Filters: {@code requestId} and {@code operation} (exact), {@code since} / {@code until} on
 * {@code completedAt} ({@code since <= completedAt < until}; ISO-8601 instant or epoch
 * milliseconds; default the last 24 hours), {@code limit} 1..1000 (default 100). Newest first.
 * Each call is a bounded scan of the audit topic ({@link AuditScan}).
 */
@RestController
@Tag(name = "Audit", description = "The audit trail of finished requests (ADMIN role)")
public class AuditController {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final AuditScan scan;
    private final GatewayProperties properties;

    public AuditController(AuditScan scan, GatewayProperties properties) {
        this.scan = scan;
        this.properties = properties;
    }

    @Operation(summary = "Audit records of the caller's tenant, newest first (ADMIN role)",
            description = "One record per finished request: who, when, which operation, the outcome, its signals and stages; "
                    + "never biometric data. A bounded scan of the audit topic per call (a few seconds at most): "
                    + "'truncated' is true when more records matched than 'limit' or the scan did not reach the end in time.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The matching records, newest first",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = AuditSchemas.Page.class)))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "An invalid since, until or limit")
    @io.openbio.gateway.web.PipelineErrors({429, 503})
    @GetMapping(path = "/audit/records", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> records(
            @Parameter(description = "Only this request id") @RequestParam(name = "requestId", required = false) String requestId,
            @Parameter(description = "Only this operation, e.g. diagnostic.digest") @RequestParam(name = "operation", required = false) String operation,
            @Parameter(description = "Completed at or after: ISO-8601 instant or epoch milliseconds; default 24 hours ago")
            @RequestParam(name = "since", required = false) String since,
            @Parameter(description = "Completed before: ISO-8601 instant or epoch milliseconds; default now")
            @RequestParam(name = "until", required = false) String until,
            @Parameter(description = "At most this many records, 1..1000; default 100") @RequestParam(name = "limit", required = false) String limit,
            @Parameter(hidden = true) @RequestHeader(name = "X-Tenant-Id", required = false) String tenant) {
        Instant explicitUntil = instant("until", until, null);
        Instant to = explicitUntil == null ? Instant.now() : explicitUntil;
        Instant from = instant("since", since, to.minus(DEFAULT_WINDOW));
        if (from.isAfter(to)) {
            if (explicitUntil != null) {
                throw ApiException.badRequest("'since' must not be after 'until'");
            }
            to = from; // a 'since' in the future: nothing has completed yet
        }
        AuditScan.Query query = new AuditScan.Query(properties.tenantOf(tenant),
                blankToNull(requestId), blankToNull(operation), from, to, limit(limit));
        AuditScan.Page page = scan.scan(query);
        List<Map<String, Object>> records = new ArrayList<>();
        page.records().forEach(event -> records.add(json(event)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("records", records);
        body.put("count", records.size());
        body.put("truncated", page.truncated());
        return body;
    }

    static Map<String, Object> json(AuditEvent event) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("requestId", event.getRequestId());
        record.put("tenant", event.getTenant());
        record.put("operation", event.getOperation());
        record.put("createdAt", event.getCreatedAt() == null ? null : event.getCreatedAt().toString());
        record.put("completedAt", event.getCompletedAt() == null ? null : event.getCompletedAt().toString());
        record.put("outcome", event.getOutcome());
        record.put("errorCode", event.getErrorCode());
        record.put("httpStatus", event.getHttpStatus());
        record.put("summary", event.getSummary() == null ? Map.of() : new LinkedHashMap<>(event.getSummary()));
        record.put("signals", io.openbio.gateway.web.SignalsJson.of(event.getSignals()));
        record.put("stages", event.getStages() == null ? List.of() : List.copyOf(event.getStages()));
        return record;
    }

    /** An ISO-8601 instant ({@code 2026-01-01T00:00:00Z}, an offset allowed) or epoch milliseconds; absent: {@code fallback}. */
    static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        try {
            if (v.matches("\\d{1,15}")) {
                return Instant.ofEpochMilli(Long.parseLong(v));
            }
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                return OffsetDateTime.parse(v).toInstant();
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z) or epoch milliseconds");
        }
    }

    static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("'limit' must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
