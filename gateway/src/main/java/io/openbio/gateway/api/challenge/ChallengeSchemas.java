package io.openbio.gateway.api.challenge;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the challenge API as the OpenAPI document describes them; the controller and the
 * challenge-verify stage build them in this shape ({@code OpenApiConformanceIntegrationTest} checks
 * the two agree).
 */
public final class ChallengeSchemas {
    private ChallengeSchemas() {
    }

    @Schema(name = "ChallengeRequest", description = "Optional: how many actions and of which kinds (an empty body takes the defaults)",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record IssueRequest(
            @Schema(minimum = "1", maximum = "6", defaultValue = "3", description = "How many actions to ask for") Integer actions,
            @io.swagger.v3.oas.annotations.media.ArraySchema(arraySchema = @Schema(description = "Kinds of action to draw from; default HEAD, SMILE, EYES"),
                    schema = @Schema(allowableValues = {"HEAD", "SMILE", "EYES", "GAZE"})) List<String> kinds) {
    }

    @Schema(name = "Challenge", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Issued(
            @Schema(requiredMode = REQUIRED, description = "The capture nonce: the bundle's metadata nonce and challenge.id") String nonce,
            @Schema(requiredMode = REQUIRED, description = "The challenge id: equals the nonce") String challengeId,
            @Schema(requiredMode = REQUIRED, description = "The actions to perform, in order") List<Action> actions,
            @Schema(requiredMode = REQUIRED, description = "What to show the person for each action, in order") List<String> prompts,
            @Schema(requiredMode = REQUIRED, description = "The server's random seed the actions derive from (base64url, no padding)") String seed,
            @Schema(requiredMode = REQUIRED, format = "date-time") String issuedAt,
            @Schema(requiredMode = REQUIRED, format = "date-time", description = "The capture must arrive by then (OPENBIO_CHALLENGE_TTL_MS)") String expiresAt) {
    }

    /** The actions (io.openbio.inference.challenge.ChallengeAction's names; ChallengeKindsTest keeps the two equal). */
    @Schema(name = "ChallengeAction", description = "An action a person performs in front of the camera")
    public enum Action { TURN_LEFT, TURN_RIGHT, LOOK_UP, LOOK_DOWN, SMILE, CLOSE_EYES, GAZE_TOP_LEFT, GAZE_TOP_RIGHT, GAZE_BOTTOM_LEFT, GAZE_BOTTOM_RIGHT }

    @Schema(name = "ChallengeVerification", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Verification(
            @Schema(requiredMode = REQUIRED, description = "The request's id (audit trail)") String requestId,
            @Schema(requiredMode = REQUIRED, description = "The challenge (= the bundle's nonce)") String challengeId,
            @Schema(requiredMode = REQUIRED, allowableValues = {"PASS", "SPOOF", "FAILED", "TIMEOUT", "ERROR"},
                    description = "PASS: every action found in order, one live face, clean injection signals and a live passive score on the best frame; "
                            + "SPOOF: evidence of an attack; FAILED: not enough evidence; TIMEOUT: the challenge expired; ERROR: not analysable") String decision,
            @Schema(requiredMode = REQUIRED, description = "Machine-readable reason, e.g. ALL_ACTIONS_FOUND, STATIC_FACE, ACTION_NOT_FOUND, "
                    + "INJECTION_SIGNAL, PASSIVE_LIVENESS_LOW, CHALLENGE_MISMATCH, CHALLENGE_NOT_DECLARED, NONCE_EXPIRED") String reason,
            @Schema(requiredMode = REQUIRED, description = "The actions issued, in order") List<Action> requestedActions,
            @Schema(requiredMode = REQUIRED, description = "Evidence per requested action (empty when the frames were not analysed)") List<Evidence> actions,
            @Schema(requiredMode = REQUIRED, description = "Index of the sharpest frontal neutral frame, -1 if none") int bestFrame,
            @Schema(requiredMode = REQUIRED, nullable = true, minimum = "0", maximum = "1",
                    description = "Passive liveness probability of the best frame's face; null when none was scored") Double passiveScore,
            @Schema(requiredMode = REQUIRED, description = "The nonce and injection-attack signals by name") Map<String, SignalState> signals,
            @Schema(requiredMode = REQUIRED, description = "Frames in the capture") int frames) {
    }

    @Schema(name = "ChallengeEvidence", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Evidence(
            @Schema(requiredMode = REQUIRED) Action action,
            @Schema(requiredMode = REQUIRED) boolean found,
            @Schema(requiredMode = REQUIRED, description = "First frame of the segment, -1 when not found") int startFrame,
            @Schema(requiredMode = REQUIRED, description = "Last frame of the segment, -1 when not found") int endFrame,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "The quantity judged, e.g. yaw, pitch, smile, eyesOpen, gazeX,gazeY") String measure,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "Its most extreme value; null when not measurable") Double peak,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "The value it had to reach") Double threshold,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "A short reason") String note) {
    }

    @Schema(name = "ChallengeSignal", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record SignalState(
            @Schema(requiredMode = REQUIRED) boolean passed,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "Why, without biometric data") String detail,
            @Schema(requiredMode = REQUIRED, nullable = true, description = "A measured value when the signal has one") Double value) {
    }
}
