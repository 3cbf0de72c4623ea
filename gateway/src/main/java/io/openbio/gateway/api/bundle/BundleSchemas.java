package io.openbio.gateway.api.bundle;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;

/** The capture-key endpoints' answers as the OpenAPI document describes them. */
public final class BundleSchemas {
    private BundleSchemas() {
    }

    @Schema(name = "BundlePublicKey", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record PublicKey(
            @Schema(requiredMode = REQUIRED, description = "Id of the active key, to put in the bundle header") String kid,
            @Schema(requiredMode = REQUIRED, description = "The bundle's encryption scheme (bundle/SPEC.md)") String alg,
            @Schema(requiredMode = REQUIRED, allowableValues = "P-256") String curve,
            @Schema(requiredMode = REQUIRED, format = "byte", description = "X.509 SubjectPublicKeyInfo (DER), base64") String publicKey) {
    }

    @Schema(name = "BundleNonce", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Nonce(
            @Schema(requiredMode = REQUIRED, description = "32 random bytes, base64url without padding; single use") String nonce,
            @Schema(requiredMode = REQUIRED, format = "date-time") String expiresAt) {
    }
}
