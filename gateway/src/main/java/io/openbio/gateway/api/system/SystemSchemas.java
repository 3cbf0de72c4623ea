package io.openbio.gateway.api.system;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** {@code GET /health}'s answer as the OpenAPI document describes it. */
public final class SystemSchemas {
    private SystemSchemas() {
    }

    @Schema(name = "Health", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Health(
            @Schema(requiredMode = REQUIRED, allowableValues = {"UP", "DOWN"}) String status,
            @Schema(requiredMode = REQUIRED, description = "broker, registry and processor:<stage> -> UP, DOWN or UNKNOWN",
                    example = "{\"broker\":\"UP\",\"registry\":\"UP\",\"processor:decrypt\":\"UP\"}")
            Map<String, String> components) {
    }
}
