package io.openbio.gateway.api.lcp;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The Liveness Check Proxy's bodies (seed 001) as the OpenAPI document describes them; the
 * controller reads the requests in this shape and the lcp-verify stage writes the answers in it.
 */
public final class LcpSchemas {
    private LcpSchemas() {
    }

    @Schema(name = "LcpInitRequest")
    public record InitRequest(
            @Schema(requiredMode = REQUIRED, example = "user1",
                    description = "Identifier of the user for whom the verification process will be initiated.") String userId,
            @Schema(allowableValues = {"TOKEN", "NONE"}, example = "TOKEN", description = "Platform addition: the style of this"
                    + " initiation (TOKEN: a verification token bound to an active-liveness challenge; NONE: image style); absent:"
                    + " the server's OPENBIO_LCP_INITIATION_TYPE") String initiationType) {
    }

    @Schema(name = "LcpInitResponse", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record InitResponse(
            @Schema(requiredMode = REQUIRED, allowableValues = {"TOKEN", "NONE"}, example = "NONE",
                    description = "Type of the initiation made: NONE (image style: verify carries the image) or TOKEN (token style:"
                            + " verify carries the token)") String initiationType,
            @Schema(requiredMode = REQUIRED, nullable = true, example = "46a0c1fba98b9a1cae88353ae8279503", pattern = "^[0-9a-f]{32}$",
                    description = "The verification token (token style: 32 lowercase hex characters, single use); null for NONE") String reference) {
    }

    @Schema(name = "LcpVerifyRequest")
    public record VerifyRequest(
            @Schema(requiredMode = REQUIRED, example = "user1", description = "Identifier of the user to be verified.") String userId,
            @Schema(requiredMode = REQUIRED) LivenessRecord livenessRecord) {
    }

    @Schema(name = "LcpLivenessRecord")
    public record LivenessRecord(
            @Schema(format = "byte", example = "c2VsZmllSW1hZ2U=", description = "The face image, base64: a JPEG or PNG, or a capture bundle"
                    + " (bundle/SPEC.md) for injection-attack signals and single use") String image,
            @Schema(description = "Reference for the verification process in external verification provider, such as verification token"
                    + " (token style: the token from init; verify then decides on the token's capture)") String reference) {
    }

    @Schema(name = "LcpVerifyResponse", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record VerifyResponse(
            @Schema(requiredMode = REQUIRED, allowableValues = {"ACCEPTED", "REJECTED"}, description = "Verification result") String result,
            @Schema(requiredMode = REQUIRED, nullable = true, format = "byte",
                    description = "The probe image (base64), only with OPENBIO_LCP_RETURN_SELFIE=true; null by default") String selfie) {
    }

    @Schema(name = "LcpReferenceUpload")
    public record ReferenceUpload(
            @Schema(requiredMode = REQUIRED, format = "byte", description = "The reference face image (JPEG or PNG, one face), base64") String image) {
    }

    @Schema(name = "LcpReference", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
            description = "A user's reference face: metadata only, never the image")
    public record Reference(
            @Schema(requiredMode = REQUIRED) String userId,
            @Schema(requiredMode = REQUIRED, description = "The face model the stored template was made with") String modelId,
            @Schema(requiredMode = REQUIRED) String modelVersion,
            @Schema(requiredMode = REQUIRED, description = "When it was stored, unix time in milliseconds") long updatedAt) {
    }
}
