package io.openbio.gateway.api.lcp;

import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpAuditQuery;
import io.openbio.schemas.contract.LcpContract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Liveness Check Proxy audit log (seed 001, "Audit Logs Reading Service"), ADMIN only
 * ({@link LcpApi#adminRoutes()}: no key 401, a USER key 403); the tenant is the API key's.
 *
 * <ul>
 * <li>{@code GET /admin/audit/users/{userId}?start&end&pageSize&pageNumber}: one page of the user's
 * records, newest first, without parameters ({@link LcpAuditQuery}: end defaults to now, start to 30
 * days before end, pageSize to 100 (at most 1000), pageNumber to 0). The arguments are checked here
 * (400 {@code ERROR_REQUEST} "Invalid method arguments." before anything is published) and sent with
 * every default filled in, keyed {@code <tenant>/<userId>} like the user's events
 * ({@link LcpContract#auditUserKey}) so the lcp-audit task holding that user's history answers.</li>
 * <li>{@code GET /admin/audit/{auditLogId}}: the record with its parameters (images base64), keyed
 * {@code <tenant>#<id>} ({@link LcpContract#auditIdKey}); an unknown id (or another tenant's) is the
 * seed's 400 {@code ERROR_REQUEST} "Audit log was not found.".</li>
 * </ul>
 * Answers come from the lcp-audit stage's stores ({@code LcpAuditProcessor}), not from a topic scan.
 */
@RestController
@Tag(name = "Liveness Check Proxy audit log", description = "Seed 001: the ADMIN audit log of liveness checks")
public class LcpAuditController {
    static final String LIST_EXAMPLE = "{\"records\":[{\"id\":\"394a898b-26b4-4641-9f47-b4ea3488295e\",\"timestamp\":1724336046394,"
            + "\"message\":\"Received request to verify liveness from userId=user-123.\"}]}";
    static final String DETAIL_EXAMPLE = "{\"id\":\"f400fe20-7114-4316-9264-1d505a9ef93a\",\"timestamp\":1718276453230,"
            + "\"message\":\"User with userId=user-123 recorded probe image.\",\"params\":{\"userId\":\"user-123\",\"probeImage\":\"/9j/4AAQSkZJRg...\"}}";
    static final String INVALID_EXAMPLE = "{\"status\":\"ERROR\",\"responseObject\":{\"code\":\"ERROR_REQUEST\",\"message\":\"Invalid method arguments.\"}}";
    static final String NOT_FOUND_EXAMPLE = "{\"status\":\"ERROR\",\"responseObject\":{\"code\":\"ERROR_REQUEST\",\"message\":\"Audit log was not found.\"}}";
    /** Longest audit log id taken (the ids are UUIDs). */
    static final int MAX_ID = 128;

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public LcpAuditController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    @Operation(summary = "List a user's audit log records, newest first (ADMIN)",
            description = "Summary records only (no parameters, no images), paged. Served from the lcp-audit stage's store "
                    + "partitioned by user.")
    @ApiResponse(responseCode = "200", description = "One page of records, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpAuditSchemas.Page.class),
                    examples = @ExampleObject(value = LIST_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "Invalid method arguments (a non-numeric start or end, start after end, pageSize "
            + "outside 1-1000, a negative pageNumber): " + INVALID_EXAMPLE)
    @PipelineErrors
    @GetMapping(path = "/admin/audit/users/{userId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> list(
            @Parameter(description = "ID of the user whose audit logs to retrieve") @PathVariable("userId") String userId,
            @Parameter(description = "Beginning of the time frame, unix timestamp in milliseconds; default 30 days before end",
                    schema = @Schema(type = "integer", format = "int64")) @RequestParam(name = "start", required = false) String start,
            @Parameter(description = "End of the time frame, unix timestamp in milliseconds; default now",
                    schema = @Schema(type = "integer", format = "int64")) @RequestParam(name = "end", required = false) String end,
            @Parameter(description = "Records per page, 1-1000; default 100",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "1000", defaultValue = "100"))
            @RequestParam(name = "pageSize", required = false) String pageSize,
            @Parameter(description = "Page number, from 0; default 0",
                    schema = @Schema(type = "integer", format = "int32", minimum = "0", defaultValue = "0"))
            @RequestParam(name = "pageNumber", required = false) String pageNumber,
            @Parameter(hidden = true) @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
            HttpServletRequest request) {
        Map<String, String> params = new HashMap<>();
        params.put(LcpAuditQuery.USER_ID, userId);
        putIfPresent(params, LcpAuditQuery.START, start);
        putIfPresent(params, LcpAuditQuery.END, end);
        putIfPresent(params, LcpAuditQuery.PAGE_SIZE, pageSize);
        putIfPresent(params, LcpAuditQuery.PAGE_NUMBER, pageNumber);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, LcpContract.AUDIT_LIST, List.of(), Map.of());
        LcpAuditQuery query;
        try {
            query = LcpAuditQuery.parse(envelope.getTenant(), params, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        envelope.setAttributes(query.attributes());
        String path = request.getRequestURI();
        return pipeline.call(Topics.LCP_AUDIT_QUERIES, envelope, LcpContract.auditUserKey(query.tenant(), query.userId()))
                .thenApply(result -> responses.apiResponse(result, path));
    }

    @Operation(summary = "Read one audit log record with its parameters (ADMIN)",
            description = "params holds userId and, when the event has them, probeImage and trustedImage (base64 of the image bytes).")
    @ApiResponse(responseCode = "200", description = "The audit log record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpAuditSchemas.Detail.class),
                    examples = @ExampleObject(value = DETAIL_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "Audit log was not found (an unknown id, or another tenant's): " + NOT_FOUND_EXAMPLE)
    @PipelineErrors
    @GetMapping(path = "/admin/audit/{auditLogId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> detail(
            @Parameter(description = "ID of the audit log") @PathVariable("auditLogId") String id,
            @Parameter(hidden = true) @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
            HttpServletRequest request) {
        if (id == null || id.isBlank() || id.length() > MAX_ID) {
            throw new ApiException(400, "ERROR_REQUEST", LcpAuditQuery.NOT_FOUND);
        }
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, LcpContract.AUDIT_DETAIL, List.of(), Map.of(LcpAuditQuery.ID, id));
        String path = request.getRequestURI();
        return pipeline.call(Topics.LCP_AUDIT_QUERIES, envelope, LcpContract.auditIdKey(envelope.getTenant(), id))
                .thenApply(result -> responses.apiResponse(result, path));
    }

    private static void putIfPresent(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    private static ApiException invalid() {
        return new ApiException(400, "ERROR_REQUEST", LcpAuditQuery.INVALID);
    }
}
