package io.openbio.gateway.api.audit;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.openbio.gateway.api.iad.IadSchemas;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** {@code GET /audit/records}' answer as the OpenAPI document describes it ({@link AuditController#json}). */
public final class AuditSchemas {
    private AuditSchemas() {
    }

    @Schema(name = "AuditPage", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Page(@Schema(requiredMode = REQUIRED) List<Record> records,
                       @Schema(requiredMode = REQUIRED) int count,
                       @Schema(requiredMode = REQUIRED, description = "More matched than limit, or the scan ended before the topic's end") boolean truncated) {
    }

    @Schema(name = "AuditRecord", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Record(
            @Schema(requiredMode = REQUIRED) String requestId,
            @Schema(requiredMode = REQUIRED) String tenant,
            @Schema(requiredMode = REQUIRED, example = "diagnostic.digest") String operation,
            @Schema(requiredMode = REQUIRED, nullable = true, format = "date-time") String createdAt,
            @Schema(requiredMode = REQUIRED, nullable = true, format = "date-time") String completedAt,
            @Schema(requiredMode = REQUIRED, allowableValues = {"OK", "ERROR"}) String outcome,
            @Schema(requiredMode = REQUIRED, nullable = true) String errorCode,
            @Schema(requiredMode = REQUIRED) int httpStatus,
            @Schema(requiredMode = REQUIRED, description = "Result figures, e.g. probability") Map<String, String> summary,
            @Schema(requiredMode = REQUIRED) List<IadSchemas.Signal> signals,
            @Schema(requiredMode = REQUIRED) List<String> stages) {
    }
}
