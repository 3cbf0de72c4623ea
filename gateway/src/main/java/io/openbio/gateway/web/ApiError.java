package io.openbio.gateway.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The platform's default error body, which is the IAD Server API's (seed 000) and Spring Boot's own
 * shape plus {@code error_code}:
 * <pre>{"timestamp":"2026-11-21T10:00:00.000+00:00","status":400,"error":"Bad Request",
 *  "message":"...","path":"/...","error_code":"UNKNOWN"}</pre>
 * A product whose clients expect another shape says so in its {@link ApiProduct} (the IDLive eKYC
 * API: {@code io.openbio.gateway.api.ekyc.EkycApi}); {@link ApiProducts} picks the format of a path.
 */
public final class ApiError {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    /** The format of paths no product owns (unknown paths, {@code /error}, {@code /v3/api-docs}). */
    public static final ApiProduct DEFAULT = new ApiProduct() {
        @Override
        public String name() {
            return "default";
        }

        @Override
        public List<String> pathPrefixes() {
            return List.of();
        }
    };

    private ApiError() {
    }

    /** {@link #defaultBody}'s shape, for the OpenAPI document (component {@code Error}). */
    @Schema(name = "Error", description = "The platform's error body (the IAD Server API's and Spring Boot's shape plus error_code)",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Body(
            @Schema(requiredMode = REQUIRED, description = "When the error was answered (UTC)", example = "2026-11-21T10:00:00.000+00:00")
            String timestamp,
            @Schema(requiredMode = REQUIRED, description = "The HTTP status, as answered", example = "400")
            int status,
            @Schema(requiredMode = REQUIRED, description = "The status's reason phrase", example = "Bad Request")
            String error,
            @Schema(requiredMode = REQUIRED, description = "What went wrong, never the request's biometric content", example = "Failed to parse file")
            String message,
            @Schema(requiredMode = REQUIRED, description = "The request path", example = "/check_capture_liveness")
            String path,
            @JsonProperty("error_code")
            @Schema(requiredMode = REQUIRED, description = "UNKNOWN, or the code of an image validation error (FACE_NOT_FOUND, FACE_TOO_SMALL, "
                    + "MULTIPLE_FACES, INVALID_IMAGE, IMAGE_TOO_LARGE, ...), of a refusal (PAYLOAD_TOO_LARGE, TOO_MANY_REQUESTS, UNAUTHORIZED, "
                    + "INVALID_PATH) or of an unavailable check (MODEL_UNAVAILABLE, CHECK_UNAVAILABLE)", example = "UNKNOWN")
            String errorCode) {
    }

    public static Map<String, Object> defaultBody(int status, String message, String path, String errorCode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("timestamp", OffsetDateTime.now(ZoneOffset.UTC).format(TIMESTAMP));
        body.put("status", status);
        HttpStatus known = HttpStatus.resolve(status);
        body.put("error", known == null ? "Error" : known.getReasonPhrase());
        body.put("message", message);
        body.put("path", path);
        body.put("error_code", errorCode == null ? "UNKNOWN" : errorCode);
        return body;
    }
}
