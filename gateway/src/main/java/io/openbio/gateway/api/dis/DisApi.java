package io.openbio.gateway.api.dis;

import io.openbio.gateway.web.ApiProduct;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The Digital Identity Service API's (seed 004, DIS 1.52) paths and error format:
 * {@code ErrorResponse {errorCode, errorMessage}} with the reference's {@code errorCode} enum. 401 and 403
 * have no body, as the reference documents them. {@code GET /api/v1/info} and {@code GET /api/v1/health} need
 * no credentials; everything else needs {@code Authorization: Bearer <token>} (the token is an API key of
 * the platform's key store).
 *
 * <p>A failure the gateway answers before the product's controllers (a platform error code such as
 * {@code PAYLOAD_TOO_LARGE}) is given the nearest member of the enum: 400/413/415 INVALID_REQUEST_BODY,
 * 404 NOT_FOUND, 405 INVALID_REQUEST_METHOD, 409 CONFLICT, 422 ALREADY_EXISTS, 429 TOO_MANY_REQUESTS,
 * 5xx UNEXPECTED_ERROR (whose message never carries internals).
 */
@Component
public class DisApi implements ApiProduct {
    /** The reference's base path. */
    public static final String BASE = "/api/v1";
    static final String GENERIC_MESSAGE = "Unexpected error";

    /** The reference's {@code ErrorResponse.errorCode} enum (1.52). */
    public static final Set<String> ERROR_CODES = Set.of("NOT_FOUND", "INVALID_ID", "INVALID_IMAGE", "INVALID_REQUEST_BODY",
            "INVALID_REQUEST_PARAMETER", "INVALID_REQUEST_METHOD", "CONFLICT", "UNEXPECTED_ERROR", "ALREADY_EXISTS",
            "DATA_DOWNLOADER_DISABLED", "MALFORMED_URL", "FACE_SIZE_MEMORY_LIMIT", "INCOMPATIBLE_TEMPLATE", "CORRUPTED_TEMPLATE",
            "UNSUPPORTED_VERSION_TEMPLATE", "DATA_DOWNLOAD_ERROR", "NOT_ENOUGH_DATA", "TOO_MANY_REQUESTS");

    @Override
    public String name() {
        return "dis";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of(BASE);
    }

    @Override
    public List<String> openPaths() {
        return List.of(BASE + "/info", BASE + "/health");
    }

    /** {@link #errorBody}'s shape, for the OpenAPI document (component {@code DisErrorResponse}). */
    @Schema(name = "DisErrorResponse", description = "The Digital Identity Service error object (ErrorResponse)",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Error(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "What went wrong, one of the reference's codes",
            example = "NOT_FOUND") String errorCode,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Only informative", example = "Customer not found")
                        String errorMessage) {
    }

    @Override
    public Class<?> errorSchema() {
        return Error.class;
    }

    /** Null (no body) for 401 and 403, as the reference has them. */
    @Override
    public Map<String, Object> errorBody(int status, String message, String path, String errorCode) {
        if (status == 401 || status == 403) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", code(status, errorCode));
        body.put("errorMessage", status >= 500 || message == null ? GENERIC_MESSAGE : message);
        return body;
    }

    /** {@code errorCode} when it is one of the reference's codes, else the nearest one for {@code status}. */
    static String code(int status, String errorCode) {
        if (errorCode != null && ERROR_CODES.contains(errorCode)) {
            return errorCode;
        }
        return switch (status) {
            case 404 -> "NOT_FOUND";
            case 405 -> "INVALID_REQUEST_METHOD";
            case 409 -> "CONFLICT";
            case 422 -> "ALREADY_EXISTS";
            case 429 -> "TOO_MANY_REQUESTS";
            default -> status >= 500 ? "UNEXPECTED_ERROR" : "INVALID_REQUEST_BODY";
        };
    }
}
