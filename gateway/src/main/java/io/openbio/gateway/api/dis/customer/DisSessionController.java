package io.openbio.gateway.api.dis.customer;

import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * DIS sessions ({@code /api/v1/sessions}): {@code POST} makes a token (32 random bytes, base64url) and has
 * the dis-customers stage record the session under hex(SHA-256(token)) (the token itself is never stored or
 * sent to Kafka); {@code DELETE} with the token's header deletes the session and every customer created
 * under it. The session expires after its {@code timeout} (1 to {@code OPENBIO_DIS_SESSION_MAX_TIMEOUT_SECONDS}).
 */
@RestController
@Tag(name = DisCustomerController.TAG, description = DisCustomerController.TAG_DESCRIPTION)
public class DisSessionController {
    static final String SESSIONS = DisApi.BASE + "/sessions";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;
    private final int maxTimeout;

    public DisSessionController(RequestReplyClient pipeline, PipelineResponses responses,
                                @Value("${openbio.dis.session-max-timeout-seconds:3600}") int maxTimeout) {
        if (maxTimeout < 1) {
            throw new IllegalArgumentException("OPENBIO_DIS_SESSION_MAX_TIMEOUT_SECONDS must be at least 1: " + maxTimeout);
        }
        this.pipeline = pipeline;
        this.responses = responses;
        this.maxTimeout = maxTimeout;
    }

    @Operation(summary = "Create a DIS session: its token binds the customers created with it (x-inn-session-token)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisCustomerSchemas.CreateSessionRequest.class))))
    @ApiResponse(responseCode = "200", description = "The session's token", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.CreateSessionResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_REQUEST_BODY: malformed JSON, no timeout, a timeout below 1 or above the maximum"
            + " (OPENBIO_DIS_SESSION_MAX_TIMEOUT_SECONDS), an unknown field")
    @PipelineErrors
    @PostMapping(path = SESSIONS, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> createSession(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                   HttpServletRequest request) throws IOException {
        ObjectNode body = CustomerRequests.object(Bodies.read(request));
        CustomerRequests.onlyFields(body, Set.of("timeout"), "CreateSessionRequest");
        long timeout = timeout(body.get("timeout"));
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String sessionId = DisContract.sessionId(token);
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.SESSION_ID, sessionId);
        attributes.put(DisContract.SESSION_TIMEOUT, Long.toString(timeout));
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, DisContract.SESSION_CREATE, List.of(), attributes);
        String path = request.getRequestURI();
        return pipeline.call(Topics.DIS_CUSTOMERS, envelope, sessionId)
                .thenApply(result -> responses.render(result, path, ok -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(Map.of("token", token))));
    }

    @Operation(summary = "Close a DIS session: the session and every customer created under it are deleted (an unknown token is 204 too)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "401", description = "No or an invalid API key, or no x-inn-session-token; no body")
    @PipelineErrors
    @DeleteMapping(path = SESSIONS)
    public CompletableFuture<ResponseEntity<Object>> deleteSession(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                   @Parameter(description = "The session's token", required = true)
                                                                   @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                   HttpServletRequest request) {
        String sessionId = CustomerRequests.sessionId(token);
        if (sessionId == null) {
            // the reference has no 400 here: a missing session credential is unauthorized
            throw new ApiException(401, "NOT_FOUND", "x-inn-session-token is required");
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.SESSION_ID, sessionId);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, DisContract.SESSION_DELETE, List.of(), attributes);
        String path = request.getRequestURI();
        return pipeline.call(Topics.DIS_CUSTOMERS, envelope, sessionId).thenApply(result -> responses.apiResponse(result, path));
    }

    /** A whole number of seconds from 1 to the maximum, else 400 INVALID_REQUEST_BODY. */
    long timeout(JsonNode node) {
        if (node == null || node.isNull()) {
            throw CustomerRequests.invalidBody("'timeout' is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw CustomerRequests.invalidBody("'timeout' must be a whole number of seconds");
        }
        long timeout = node.longValue();
        if (timeout < 1 || timeout > maxTimeout) {
            throw CustomerRequests.invalidBody("'timeout' must be from 1 to " + maxTimeout + " seconds");
        }
        return timeout;
    }
}
