package io.openbio.gateway.api.diagnostic;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** {@code POST /diagnostic/digest}'s answers ({@code ResultJson} and the 202) as the OpenAPI document describes them. */
public final class DiagnosticSchemas {
    private DiagnosticSchemas() {
    }

    @Schema(name = "DiagnosticResult", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Result(
            @Schema(requiredMode = REQUIRED) String requestId,
            @Schema(requiredMode = REQUIRED, example = "diagnostic.digest") String operation,
            @Schema(requiredMode = REQUIRED, allowableValues = "OK") String status,
            @Schema(requiredMode = REQUIRED, format = "date-time") String createdAt,
            @Schema(requiredMode = REQUIRED, format = "date-time") String completedAt,
            @Schema(requiredMode = REQUIRED) Digest result,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "Always null here: a failed request is answered as an error") Object error,
            @Schema(requiredMode = REQUIRED) List<Stage> stages) {
    }

    @Schema(name = "DiagnosticDigest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Digest(
            @Schema(requiredMode = REQUIRED, pattern = "^[0-9a-f]{64}$") String sha256,
            @Schema(requiredMode = REQUIRED) long sizeBytes,
            @Schema(requiredMode = REQUIRED, nullable = true, example = "jpeg") String imageFormat,
            @Schema(requiredMode = REQUIRED, nullable = true) Integer width,
            @Schema(requiredMode = REQUIRED, nullable = true) Integer height) {
    }

    @Schema(name = "StageTrace", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Stage(@Schema(requiredMode = REQUIRED) String stage,
                        @Schema(requiredMode = REQUIRED) String instance,
                        @Schema(requiredMode = REQUIRED, format = "date-time") String at) {
    }

    @Schema(name = "DiagnosticAccepted", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Accepted(@Schema(requiredMode = REQUIRED) String requestId,
                           @Schema(requiredMode = REQUIRED, allowableValues = "ACCEPTED") String status,
                           @Schema(requiredMode = REQUIRED, description = "Where the result is published") String resultTopic,
                           @Schema(requiredMode = REQUIRED, nullable = true) String callbackUrl) {
    }
}
