package io.openbio.gateway.api.lcp;

import io.openbio.gateway.web.ApiProduct;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The Liveness Check Proxy API's (seed 001) paths and error format: the Wultra envelope
 * {@code {"status":"ERROR","responseObject":{"code":...,"message":...}}} with the seed's codes.
 * Success bodies are unwrapped, as the seed shows them.
 *
 * <p>Codes: a failure that carries one of the seed's codes keeps it; otherwise the code follows the
 * status: 400 {@code ERROR_REQUEST}, 404 {@code ERROR_NOT_FOUND}, 409 {@code ERROR_REMOTE}, any 5xx
 * {@code ERROR_GENERIC} with the seed's fixed message (no internals). The seed lists no code for
 * authentication, authorisation or load shedding; the platform answers 401 {@code ERROR_UNAUTHORIZED},
 * 403 {@code ERROR_FORBIDDEN} and 429 {@code ERROR_BUSY} in the same envelope (README, "Liveness Check
 * Proxy"). An oversized body (413) or an unsupported content type (415) is a 400 {@code ERROR_REQUEST}.
 * {@code /admin/**} needs the ADMIN role when API keys are on.
 */
@Component
public class LcpApi implements ApiProduct {
    /** The seed's error codes. */
    public static final Set<String> CODES = Set.of("ERROR_REQUEST", "INITIATION_ERROR", "USER_DETAILS_MISSING",
            "USER_NOT_ENROLLED", "VERIFICATION_ERROR", "ERROR_NOT_FOUND", "ERROR_REMOTE", "ERROR_GENERIC");
    /** The seed's message for an unexpected error. */
    public static final String GENERIC_MESSAGE = "Unknown error occurred while processing request.";

    @Override
    public String name() {
        return "lcp";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/liveness", "/admin/audit", "/admin/users");
    }

    /**
     * The token style's two device calls need no API key: the verification token in the path is the end
     * user's credential (128 random bits, single use, short-lived); the gateway refuses anything that is
     * not a token's form before publishing, and the usual payload limit and the default tenant's quota
     * apply (README, "Token style").
     */
    @Override
    public List<String> openPaths() {
        return List.of("/liveness/challenge/*", "/liveness/capture/*");
    }

    @Override
    public List<Route> adminRoutes() {
        return List.of(Route.any("/admin/audit"), Route.any("/admin/audit/**"), Route.any("/admin/users"), Route.any("/admin/users/**"));
    }

    @Override
    public int status(int status) {
        return status == 413 || status == 415 ? 400 : status;
    }

    /** {@link #errorBody}'s shape, for the OpenAPI document (component {@code LcpError}). */
    @Schema(name = "LcpError", description = "The Liveness Check Proxy error envelope",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Error(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "ERROR", example = "ERROR") String status,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ResponseObject responseObject) {
    }

    /** The code and message of an error. */
    @Schema(name = "LcpErrorObject", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record ResponseObject(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ERROR_REQUEST",
            description = "One of the seed's codes (ERROR_REQUEST, INITIATION_ERROR, USER_DETAILS_MISSING, USER_NOT_ENROLLED,"
                    + " VERIFICATION_ERROR, ERROR_NOT_FOUND, ERROR_REMOTE, ERROR_GENERIC) or, for statuses the seed does not"
                    + " list, ERROR_UNAUTHORIZED (401), ERROR_FORBIDDEN (403), ERROR_BUSY (429)") String code,
                                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Invalid method arguments.") String message) {
    }

    @Override
    public Class<?> errorSchema() {
        return Error.class;
    }

    @Override
    public Map<String, Object> errorBody(int status, String message, String path, String errorCode) {
        String code = code(status, errorCode);
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("code", code);
        object.put("message", status >= 500 ? GENERIC_MESSAGE : message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ERROR");
        body.put("responseObject", object);
        return body;
    }

    static String code(int status, String errorCode) {
        if (status >= 500) {
            return "ERROR_GENERIC";
        }
        if (errorCode != null && CODES.contains(errorCode)) {
            return errorCode;
        }
        return switch (status) {
            case 401 -> "ERROR_UNAUTHORIZED";
            case 403 -> "ERROR_FORBIDDEN";
            case 404 -> "ERROR_NOT_FOUND";
            case 409 -> "ERROR_REMOTE";
            case 429 -> "ERROR_BUSY";
            default -> "ERROR_REQUEST";
        };
    }
}
