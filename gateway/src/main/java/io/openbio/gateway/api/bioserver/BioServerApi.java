package io.openbio.gateway.api.bioserver;

import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiProduct;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The BioServer API's (seed 003, Biometric Services) paths and error format: {@code {"id","message"}},
 * the seed's "Sample Error Object". The {@code id} identifies the error: it is the request's
 * {@code X-Request-Id} when the request reached the pipeline (so the error can be followed to the
 * request's audit record), else a fresh UUID. Statuses are answered as they are (the seed lists 400,
 * 401, 403, 404, 409, 413, 429 and 500; 429 and 503 carry {@code Retry-After}); a 5xx never carries
 * internals. Every path needs an API key ({@code apikey} header, or {@code Authorization}) except the
 * signing certificate, which is public by nature, and the capture client's two replay liveness calls
 * ({@code .../liveness-challenge}, {@code .../liveness-capture}), whose credential is the session id (a
 * random UUID the integrator hands to its end user's device), as the seed's device calls carry no key.
 */
@Component
public class BioServerApi implements ApiProduct {
    /** The seed's base path. */
    public static final String BASE = "/bioserver-app";
    /** The public certificate that verifies the responses' JWS signatures (platform choice: the seed names no route). */
    public static final String CERTIFICATE_PATH = BASE + "/v2/certificate";
    static final String GENERIC_MESSAGE = "Internal error";

    @Override
    public String name() {
        return "bioserver";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of(BASE, "/video-server");
    }

    @Override
    public List<String> openPaths() {
        return List.of(CERTIFICATE_PATH, BASE + "/v2/bio-sessions/*/liveness-challenge", BASE + "/v2/bio-sessions/*/liveness-capture");
    }

    /** {@link #errorBody}'s shape, for the OpenAPI document (component {@code BioServerError}). */
    @Schema(name = "BioServerError", description = "The BioServer error object", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Error(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Identifies the error: the request id, or a fresh UUID",
            example = "a5ac0455-8d99-4d73-835c-c656b5aba41e") String id,
                        @Schema(description = "What went wrong", example = "Session not found") String message) {
    }

    @Override
    public Class<?> errorSchema() {
        return Error.class;
    }

    @Override
    public Map<String, Object> errorBody(int status, String message, String path, String errorCode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", errorId());
        body.put("message", status >= 500 ? GENERIC_MESSAGE : message);
        return body;
    }

    /** The request id already set on the response, else a new UUID. */
    static String errorId() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet && servlet.getResponse() != null) {
            String id = servlet.getResponse().getHeader(RequestReplyClient.REQUEST_ID_HEADER);
            if (id != null && !id.isBlank()) {
                return id;
            }
        }
        return UUID.randomUUID().toString();
    }
}
