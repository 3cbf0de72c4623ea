package io.openbio.gateway.api.diagnostic;

import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DiagnosticContract;
import io.openbio.schemas.json.ResultJson;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Diagnostic endpoint that proves the pipeline end to end: the payload travels as an Avro event,
 * the {@code digest} processor computes its SHA-256, the {@code image-info} processor its size and
 * image header, and the result comes back here (or to the callback URL).
 *
 * <ul>
 * <li>{@code POST /diagnostic/digest} with any binary body (e.g. {@code application/octet-stream},
 * {@code image/jpeg});</li>
 * <li>or with {@code application/json} {@code {"payload":"<base64>","callbackUrl":"https://..."}};</li>
 * <li>query {@code callbackUrl} (the result is also POSTed there) and {@code wait} (default true;
 * false answers 202 at once with the request id, the result goes to the result topic and the
 * callback).</li>
 * </ul>
 */
@RestController
public class DiagnosticController {
    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;
    private final CallbackUrlValidator callbacks;

    public DiagnosticController(RequestReplyClient pipeline, PipelineResponses responses, CallbackUrlValidator callbacks) {
        this.pipeline = pipeline;
        this.responses = responses;
        this.callbacks = callbacks;
    }

    /** JSON form of the request. */
    public record DigestJson(String payload, String callbackUrl) {
    }

    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The result (wait=true)",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = DiagnosticSchemas.Result.class)))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "Accepted (wait=false): the result goes to the result topic and the callback",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = DiagnosticSchemas.Accepted.class)))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "An empty body, invalid base64, a callback URL that is not allowed")
    @io.openbio.gateway.web.PipelineErrors
    @PostMapping(path = "/diagnostic/digest", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> digestJson(@RequestBody DigestJson body,
                                                                @RequestParam(name = "wait", defaultValue = "true") boolean wait,
                                                                @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                HttpServletRequest request) {
        if (body == null || body.payload() == null) {
            throw ApiException.badRequest("'payload' (base64) is required");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(body.payload());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'payload' is not valid base64");
        }
        return run(data, "application/octet-stream", body.callbackUrl(), wait, tenant, request.getRequestURI());
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Diagnostic: SHA-256 and image header of a payload, computed by two processors",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/octet-stream", schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string", format = "binary"))))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The result (wait=true)",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = DiagnosticSchemas.Result.class)))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "Accepted (wait=false): the result goes to the result topic and the callback",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = DiagnosticSchemas.Accepted.class)))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "An empty body, invalid base64, a callback URL that is not allowed")
    @io.openbio.gateway.web.PipelineErrors
    @PostMapping(path = "/diagnostic/digest")
    public CompletableFuture<ResponseEntity<Object>> digestBinary(@RequestParam(name = "callbackUrl", required = false) String callbackUrl,
                                                                  @RequestParam(name = "wait", defaultValue = "true") boolean wait,
                                                                  @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                  HttpServletRequest request) throws IOException {
        byte[] data = io.openbio.gateway.web.Bodies.read(request);
        return run(data, request.getContentType(), callbackUrl, wait, tenant, request.getRequestURI());
    }

    private CompletableFuture<ResponseEntity<Object>> run(byte[] data, String contentType, String callbackUrl,
                                                          boolean wait, String tenant, String path) {
        if (data.length == 0) {
            throw ApiException.badRequest("empty request body: send the bytes to digest");
        }
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, DiagnosticContract.DIGEST_OPERATION,
                List.of(new Part("payload", contentType, ByteBuffer.wrap(data))), Map.of());
        envelope.setCallbackUrl(callbacks.validate(envelope.getTenant(), callbackUrl));
        if (!wait) {
            return pipeline.submit(Topics.DIAGNOSTIC_REQUESTS, envelope).thenApply(accepted -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("requestId", accepted.getRequestId());
                body.put("status", "ACCEPTED");
                body.put("resultTopic", Topics.RESULTS.name());
                body.put("callbackUrl", accepted.getCallbackUrl());
                return ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON).body(body);
            });
        }
        return pipeline.call(Topics.DIAGNOSTIC_REQUESTS, envelope).thenApply(result -> render(result, path));
    }

    private ResponseEntity<Object> render(ResultEvent result, String path) {
        return responses.render(result, path,
                ok -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ResultJson.toJsonString(ok)));
    }
}
