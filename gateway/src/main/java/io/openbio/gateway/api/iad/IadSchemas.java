package io.openbio.gateway.api.iad;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answers of the IAD Server API (seed 000) as the OpenAPI document describes them; the controller
 * builds them as maps in this shape ({@code OpenApiConformanceIntegrationTest} checks the two agree).
 */
public final class IadSchemas {
    private IadSchemas() {
    }

    @Schema(name = "ApiVersion", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record ApiVersion(
            @Schema(requiredMode = REQUIRED, allowableValues = "IADServer") String product,
            @Schema(requiredMode = REQUIRED, example = "1.7.3") String version,
            @Schema(requiredMode = REQUIRED, format = "date-time", description = "The configured licence expiration date (openbio.iad.expiration-date)",
                    example = "2025-08-25T23:59:59Z") String expirationDate) {
    }

    @Schema(name = "CaptureLivenessResponse", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record CaptureLivenessResponse(
            @JsonProperty("capture_liveness") @Schema(requiredMode = REQUIRED) CaptureLiveness captureLiveness,
            @Schema(description = "Only with debug=true (an extension of this platform): the signals behind the probability") Debug debug) {
    }

    @Schema(name = "CaptureLiveness", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record CaptureLiveness(
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "1", description = "0 (attack) to 1 (live capture)", example = "1.0")
            double probability) {
    }

    @Schema(name = "CaptureLivenessDebug", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Debug(
            @JsonProperty("request_id") @Schema(requiredMode = REQUIRED, description = "The request's id (audit trail)") String requestId,
            @JsonProperty("passive_liveness") @Schema(requiredMode = REQUIRED, nullable = true, minimum = "0", maximum = "1",
                    description = "The passive liveness models' probability on the face; null when no face was analysed") Double passiveLiveness,
            @Schema(requiredMode = REQUIRED) List<Signal> signals) {
    }

    @Schema(name = "Signal", description = "One injection-attack or liveness check behind a result", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Signal(
            @Schema(requiredMode = REQUIRED, example = "virtual_camera") String name,
            @Schema(requiredMode = REQUIRED) boolean passed,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "Why, without biometric data") String detail,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "A measured value when the signal has one") Double value) {
    }
}
