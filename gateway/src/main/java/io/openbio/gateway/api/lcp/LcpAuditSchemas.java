package io.openbio.gateway.api.lcp;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The bodies of the Liveness Check Proxy audit log API (seed 001) as the OpenAPI document describes
 * them; the lcp-audit stage ({@code LcpAuditProcessor}) builds them in this shape
 * ({@code OpenApiConformanceIntegrationTest} checks the two agree).
 */
public final class LcpAuditSchemas {
    private LcpAuditSchemas() {
    }

    @Schema(name = "LcpAuditLogList", description = "One page of a user's audit log, newest first",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Page(@Schema(requiredMode = REQUIRED) List<Summary> records) {
    }

    @Schema(name = "LcpAuditLogRecord", description = "An audit log record without its parameters",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Summary(
            @Schema(requiredMode = REQUIRED, description = "The ID of the audit log", example = "394a898b-26b4-4641-9f47-b4ea3488295e") String id,
            @Schema(requiredMode = REQUIRED, description = "Creation of the audit log, unix timestamp in milliseconds", example = "1724336046394")
            long timestamp,
            @Schema(requiredMode = REQUIRED, description = "Summary message", example = "Received request to verify liveness from userId=user-123.")
            String message) {
    }

    @Schema(name = "LcpAuditLogDetail", description = "An audit log record with its parameters",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Detail(
            @Schema(requiredMode = REQUIRED, description = "The ID of the audit log", example = "f400fe20-7114-4316-9264-1d505a9ef93a") String id,
            @Schema(requiredMode = REQUIRED, description = "Creation of the audit log, unix timestamp in milliseconds", example = "1718276453230")
            long timestamp,
            @Schema(requiredMode = REQUIRED, description = "Summary message", example = "User with userId=user-123 recorded probe image.")
            String message,
            @Schema(requiredMode = REQUIRED) Params params) {
    }

    @Schema(name = "LcpAuditLogParams", description = "Parameters of the audit log; one the event has none of is left out",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Params(
            @Schema(requiredMode = REQUIRED, description = "The user the event belongs to", example = "user-123") String userId,
            @Schema(format = "byte", description = "The probe (captured) face image as uploaded, base64") String probeImage,
            @Schema(format = "byte", description = "The reference (trusted) face image, base64") String trustedImage) {
    }
}
