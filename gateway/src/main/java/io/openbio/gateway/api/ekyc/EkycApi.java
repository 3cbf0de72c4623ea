package io.openbio.gateway.api.ekyc;

import io.openbio.gateway.web.ApiProduct;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * The IDLive eKYC API's (seed 002) paths and error format: {@code {"status":400,"message":"..."}}.
 * The IDLive reference documents only 400 for bad requests, so on its paths an oversized body (413)
 * or an unsupported content type (415) is a 400 too, with the same message.
 */
@Component
public class EkycApi implements ApiProduct {
    @Override
    public String name() {
        return "ekyc";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/check", "/collections", "/generate-template", "/match-over-template", "/add-template", "/add-image", "/decrypt");
    }

    /**
     * Collection administration needs ADMIN: creating or deleting a collection and removing a
     * record. Enrolling and searching (add-image, add-template, check, ...) are USER operations.
     * {@code /collections/**} also covers {@code /collections} itself and {@code /collections/}, so a
     * spelling with a trailing slash is refused here (403) rather than left to the controllers' 404.
     */
    @Override
    public List<Route> adminRoutes() {
        return List.of(Route.of(HttpMethod.POST, "/collections/**"), Route.of(HttpMethod.DELETE, "/collections/**"),
                Route.any("/collections/remove-record/**"));
    }

    @Override
    public int status(int status) {
        return status == 413 || status == 415 ? 400 : status;
    }

    /** {@link #errorBody}'s shape, for the OpenAPI document (component {@code IdliveError}). */
    @Schema(name = "IdliveError", description = "The IDLive eKYC error body: exactly status and message",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Error(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The HTTP status, as answered", example = "400") int status,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "What went wrong", example = "Exception message") String message) {
    }

    @Override
    public Class<?> errorSchema() {
        return Error.class;
    }

    @Override
    public Map<String, Object> errorBody(int status, String message, String path, String errorCode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        return body;
    }
}
