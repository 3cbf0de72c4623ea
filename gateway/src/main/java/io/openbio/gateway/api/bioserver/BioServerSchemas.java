package io.openbio.gateway.api.bioserver;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * The BioServer API's bodies (seed 003, "Objects" and each operation's fields) as the OpenAPI document
 * describes them: the requests the controller reads and the answers the bioserver stage writes. The
 * answers' {@code signature} is the JWS of the rest of the body (verify it with the certificate of
 * {@code GET /bioserver-app/v2/certificate}).
 */
public final class BioServerSchemas {
    private BioServerSchemas() {
    }

    static final String DATETIME = "ISO-8601 UTC with milliseconds, e.g. 2017-05-18T10:14:39.587Z";
    static final String SIGNATURE = "A digital signature (JWS) of the response: verify it with the BioServer public certificate";

    // ---- objects --------------------------------------------------------------------------------

    @Schema(name = "BioServerLandmarksEyes", description = "Eye detection information, in pixels of the image")
    public record LandmarksEyes(@Schema(requiredMode = REQUIRED, example = "581.0", description = "x of the first eye") double x1,
                                @Schema(requiredMode = REQUIRED, example = "270.0", description = "y of the first eye") double y1,
                                @Schema(requiredMode = REQUIRED, example = "695.0", description = "x of the second eye") double x2,
                                @Schema(requiredMode = REQUIRED, example = "266.0", description = "y of the second eye") double y2) {
    }

    @Schema(name = "BioServerLandmarksBox", description = "The face's position inside a box")
    public record LandmarksBox(@Schema(requiredMode = REQUIRED, example = "465", description = "x of the left corner") double x,
                               @Schema(requiredMode = REQUIRED, example = "149", description = "y of the left corner") double y,
                               @Schema(requiredMode = REQUIRED, example = "348") double width,
                               @Schema(requiredMode = REQUIRED, example = "348") double height) {
    }

    @Schema(name = "BioServerLandmarks", description = "Landmarks detected on the face")
    public record Landmarks(LandmarksEyes eyes, LandmarksBox box) {
    }

    @Schema(name = "BioServerFace", description = "A face: its biometric template and what was measured on it. In a match's reference and"
            + " candidate, and in a session's list, some fields are left out (see each operation).")
    public record Face(
            @Schema(requiredMode = REQUIRED, format = "uuid", example = "aa0bd6ca-1206-415b-af94-8d2c18aa9c70") String id,
            @Schema(example = "Presidential portrait of Barack Obama") String friendlyName,
            @Schema(description = "SHA-256 (hex) of the image file the face was created from",
                    example = "39bd0d9606a772b1e7076401f32f14bdde403b9608e789e0771b90fb79b664a4") String digest,
            @Schema(description = "The biometric algorithm's name (every mode is coded with the platform's one face model)", example = "F5_1_VID60") String mode,
            @Schema(allowableValues = {"ID_DOCUMENT", "SELFIE", "VIDEO_FRAME"}, example = "SELFIE") String imageType,
            @Schema(description = "Template quality: above 100 is good; negative: send the face again", example = "295") Double quality,
            Landmarks landmarks,
            @Schema(format = "byte", description = "The biometric template (opaque, base64)") String template,
            @Schema(description = "The template's version: a template of another version is refused (400)", example = "113") Integer templateVersion,
            Boolean imageRotationEnabled,
            @Schema(format = "date-time", description = DATETIME) String created,
            @Schema(format = "date-time", description = "When the face expires with its session (session faces only)") String expires,
            @Schema(description = SIGNATURE) String signature) {
    }

    @Schema(name = "BioServerMatch", description = "A reference face compared with a candidate face. Score to false acceptance rate: "
            + "FAR 1% = 2500, 0.1% = 3000, 0.01% = 3500, 0.001% = 4000, 0.0001% = 4500; recommended thresholds: document/selfie 3500,"
            + " selfie/selfie 4000.")
    public record Match(
            @Schema(requiredMode = REQUIRED, description = "The reference face (without its template)") Face reference,
            @Schema(requiredMode = REQUIRED, description = "The candidate face (without its template)") Face candidate,
            @Schema(requiredMode = REQUIRED, example = "7771.43408203125") double score,
            @Schema(requiredMode = REQUIRED, description = "In percent: 10^(5 - score/500), at most 100, at least 1e-15",
                    example = "2.8650475616752694E-11") double falseAcceptanceRate,
            String correlationId,
            String evidenceId,
            @Schema(format = "date-time", description = DATETIME) String created,
            @Schema(format = "date-time", description = "Session matches only: when the match expires with its session") String expires,
            @Schema(description = SIGNATURE) String signature) {
    }

    @Schema(name = "BioServerBioSession", description = "A bio-session: faces and matches of one user, removed when it expires")
    public record BioSession(
            @Schema(requiredMode = REQUIRED, format = "uuid", example = "0991cedc-9111-4b9d-9e4e-8d6eb4db488f") String id,
            @Schema(example = "891a6728-1ac4-11e7-93ae-92361f002671") String correlationId,
            String evidenceId,
            @Schema(description = "Whether the images of its faces are kept (GET .../faces/{faceId}/image)") Boolean imageStorageEnabled,
            @Schema(format = "date-time", description = DATETIME) String created,
            @Schema(format = "date-time", description = "created + ttlSeconds: after it the session answers 404") String expires,
            @Schema(description = SIGNATURE) String signature) {
    }

    @Schema(name = "BioServerAge", description = "An age estimation. When no face is found or its quality is too poor, aboveThreshold and"
            + " ageEstimated are left out and quality is negative.")
    public record Age(
            @Schema(requiredMode = REQUIRED, format = "uuid") String id,
            @Schema(description = "ageEstimated >= threshold") Boolean aboveThreshold,
            @Schema(example = "23.1") Double ageEstimated,
            @Schema(requiredMode = REQUIRED, example = "18", description = "The request's threshold") int threshold,
            @Schema(description = "SHA-256 (hex) of the image file") String digest,
            @Schema(allowableValues = {"SELFIE", "VIDEO_FRAME"}) String imageType,
            @Schema(example = "212", description = "Negative (-10000) when no face could be measured") Integer quality,
            @Schema(format = "date-time", description = DATETIME) String created,
            @Schema(description = SIGNATURE) String signature) {
    }

    @Schema(name = "BioServerCapabilities", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Capabilities(
            @ArraySchema(arraySchema = @Schema(requiredMode = REQUIRED, description = "The modes faces are created with"),
                    schema = @Schema(example = "F5_1_VID60")) List<String> currentMode,
            @Schema(requiredMode = REQUIRED, description = "The platform's version", example = "0.1.0") String version) {
    }

    // ---- requests -------------------------------------------------------------------------------

    @Schema(name = "BioServerSessionCreate", description = "CreateBioSession's fields, every one optional (an empty body takes the defaults)")
    public record SessionCreate(
            @Schema(description = "A custom identifier of the caller's", maxLength = BioServerRequests.MAX_TEXT) String correlationId,
            @Schema(description = "Evidence identifier (ID_PROOFING workflow)", maxLength = BioServerRequests.MAX_TEXT) String evidenceId,
            @Schema(description = "Keep the images of the session's faces (GET .../image); default false") Boolean imageStorageEnabled,
            @Schema(description = "Time to live in seconds: default OPENBIO_BIOSERVER_SESSION_TTL_SECONDS (300), at most"
                    + " OPENBIO_BIOSERVER_SESSION_TTL_MAX_SECONDS (3600); 0 and below, or above the maximum: 400", minimum = "1",
                    example = "300") Integer ttlSeconds,
            @Schema(description = "Where liveness results are announced; a URL the callback destination policy allows (no private or"
                    + " loopback address unless OPENBIO_CALLBACK_ALLOW admits it)", example = "https://service/callback") String callbackURL) {
    }

    /** The seed's curl sends CreateBioSession's object inside a one-element array; both are taken. */
    @Schema(name = "BioServerSessionCreateArray", description = "One BioServerSessionCreate inside an array")
    public static final class SessionCreateArray extends ArrayList<SessionCreate> {
    }

    @Schema(name = "BioServerFaceParameters", description = "The face part: how to code the image")
    public record FaceParameters(
            @Schema(requiredMode = REQUIRED, allowableValues = {"ID_DOCUMENT", "SELFIE", "VIDEO_FRAME"}) String imageType,
            @Schema(allowableValues = {"F5_2_VID75", "F5_1_VID0", "F5_1_VID60", "F5_3_VID60"},
                    description = "Accepted and echoed; every mode is coded with the platform's face model") String mode,
            @Schema(maxLength = BioServerRequests.MAX_TEXT) String friendlyName,
            @Schema(description = "Try the image turned by 90, 180 and 270 degrees when no face is found upright") Boolean imageRotationEnabled) {
    }

    @Schema(name = "BioServerDirectFaceParameters", description = "The face part of POST /v2/faces")
    public record DirectFaceParameters(
            @Schema(requiredMode = REQUIRED, allowableValues = {"ID_DOCUMENT", "SELFIE", "VIDEO_FRAME"}) String imageType,
            @Schema(allowableValues = {"F5_2_VID75", "F5_1_VID0", "F5_1_VID60", "F5_3_VID60"}) String mode,
            @Schema(maxLength = BioServerRequests.MAX_TEXT) String friendlyName,
            Boolean imageRotationEnabled,
            @Schema(description = "\"true\": the answer has no signature (a boolean is taken too)", allowableValues = {"true", "false"}) String signatureDisabled) {
    }

    @Schema(name = "BioServerAgeParameters", description = "The age part of POST /v2/ages")
    public record AgeParameters(
            @Schema(requiredMode = REQUIRED, example = "18", minimum = "0", maximum = "150") int threshold,
            @Schema(allowableValues = {"SELFIE", "VIDEO_FRAME"}) String imageType,
            @Schema(allowableValues = {"true", "false"}) String signatureDisabled,
            Boolean imageRotationEnabled) {
    }

    @Schema(name = "BioServerFaceForm", description = "multipart/form-data or multipart/mixed")
    public record FaceForm(
            @Schema(requiredMode = REQUIRED, description = "JSON (a file or a field; an object or a one-element array)") FaceParameters face,
            @Schema(requiredMode = REQUIRED, type = "string", format = "binary", description = "The face image (JPEG or PNG)") String image) {
    }

    @Schema(name = "BioServerDirectFaceForm", description = "multipart/form-data or multipart/mixed")
    public record DirectFaceForm(
            @Schema(requiredMode = REQUIRED, description = "JSON (a file or a field)") DirectFaceParameters face,
            @Schema(requiredMode = REQUIRED, type = "string", format = "binary") String image,
            String correlationId,
            String evidenceId) {
    }

    @Schema(name = "BioServerMatchImagesForm", description = "multipart/form-data or multipart/mixed; the types as text fields or as files"
            + " holding the value (the seed's curl sends them with @file)")
    public record MatchImagesForm(
            @Schema(requiredMode = REQUIRED, type = "string", format = "binary") String referenceImage,
            @Schema(requiredMode = REQUIRED, type = "string", format = "binary") String candidateImage,
            @Schema(requiredMode = REQUIRED, allowableValues = {"ID_DOCUMENT", "SELFIE", "VIDEO_FRAME"}) String referenceImageType,
            @Schema(requiredMode = REQUIRED, allowableValues = {"ID_DOCUMENT", "SELFIE", "VIDEO_FRAME"}) String candidateImageType,
            String correlationId,
            String evidenceId,
            @Schema(allowableValues = {"true", "false"}) String imageRotationEnabled) {
    }

    @Schema(name = "BioServerMatchForm", description = "multipart/form-data or multipart/mixed")
    public record MatchForm(
            @Schema(requiredMode = REQUIRED, type = "string", format = "binary") String candidateImage,
            @Schema(requiredMode = REQUIRED, allowableValues = {"ID_DOCUMENT", "SELFIE", "VIDEO_FRAME"}) String candidateImageType,
            @Schema(requiredMode = REQUIRED, description = "A Face JSON with its template, as POST /v2/faces or GET .../faces/{faceId}"
                    + " answered it (a file or a field)") Face referenceFace,
            @Schema(allowableValues = {"true", "false"}) String imageRotationEnabled,
            String correlationId,
            String evidenceId) {
    }

    @Schema(name = "BioServerAgeForm", description = "multipart/form-data or multipart/mixed")
    public record AgeForm(
            @Schema(requiredMode = REQUIRED, type = "string", format = "binary") String image,
            @Schema(requiredMode = REQUIRED, description = "JSON (a file or a field)") AgeParameters age,
            String correlationId,
            String evidenceId) {
    }

    // ---- replay liveness ------------------------------------------------------------------------

    @Schema(name = "BioServerLivenessInit", description = "initLivenessParameters' fields (an object, or the seed's one-element array)")
    public record LivenessInit(
            @Schema(requiredMode = REQUIRED, allowableValues = {"LIVENESS_ACTIVE", "LIVENESS_PASSIVE", "LIVENESS_PASSIVE_VIDEO", "LIVENESS_HIGH"},
                    description = "LIVENESS_HIGH is the deprecated name of LIVENESS_ACTIVE") String type,
            @Schema(allowableValues = {"LOW", "MEDIUM", "HIGH"}, description = "Default HIGH") String securityLevel,
            @Schema(minimum = "1", maximum = "8", description = "LIVENESS_ACTIVE only; default 2") Integer nbChallenge,
            @Schema(description = "Default true (the seed's text): no best image in the replay metadata") Boolean imageRetrievalDisabled,
            @Schema(description = "The replay liveness id; a UUID when absent") String id) {
    }

    /** The seed's curl sends initLivenessParameters' object inside a one-element array; both are taken. */
    @Schema(name = "BioServerLivenessInitArray", description = "One BioServerLivenessInit inside an array")
    public static final class LivenessInitArray extends ArrayList<LivenessInit> {
    }

    @Schema(name = "BioServerLivenessParameters", description = "The replay liveness parameters")
    public record LivenessParameters(
            @Schema(description = SIGNATURE) String signature,
            @Schema(requiredMode = REQUIRED) String id,
            @Schema(requiredMode = REQUIRED, allowableValues = {"LIVENESS_ACTIVE", "LIVENESS_PASSIVE", "LIVENESS_PASSIVE_VIDEO"}) String type,
            @Schema(requiredMode = REQUIRED, allowableValues = {"LOW", "MEDIUM", "HIGH"}) String securityLevel,
            @Schema(description = "LIVENESS_ACTIVE only") Integer nbChallenge,
            @Schema(requiredMode = REQUIRED) boolean imageRetrievalDisabled,
            @Schema(requiredMode = REQUIRED, description = "The challenge's seed as a 32-bit integer (its first 4 bytes)") int seed,
            @Schema(requiredMode = REQUIRED, description = "The challenge's 32 random bytes, base64") String serverRandom,
            @ArraySchema(arraySchema = @Schema(requiredMode = REQUIRED, description = "The capture-encryption certificate (DER, base64)"))
            List<String> certificates) {
    }

    @Schema(name = "BioServerReplayMetadata", description = "The replay liveness' status; signature detached")
    public record ReplayMetadata(
            @Schema(description = "header..signature: rebuild the payload from this answer less signature") String signature,
            @Schema(requiredMode = REQUIRED) String id,
            @Schema(requiredMode = REQUIRED, allowableValues = {"INITIALIZED", "IN_PROGRESS", "ERROR", "SUCCESS", "FAILED", "SPOOF", "TIMEOUT"})
            String status,
            @Schema(format = "byte", description = "SUCCESS and imageRetrievalDisabled false: the best frame, base64") String image,
            Landmarks landmarks) {
    }

    @Schema(name = "BioServerChallengeResult", description = "The replay liveness outcome in the integrators' shape")
    public record ChallengeResult(
            @Schema(requiredMode = REQUIRED, allowableValues = {"INITIALIZED", "IN_PROGRESS", "ERROR", "SUCCESS", "FAILED", "SPOOF", "TIMEOUT"})
            String livenessStatus,
            @Schema(format = "uuid", description = "SUCCESS: the face made from the best frame in the session") String bestImageId,
            @Schema(description = "The verification's reason, e.g. ALL_ACTIONS_FOUND, STATIC_FACE, PASSIVE_LIVENESS_LOW") String diagnostic,
            @Schema(description = SIGNATURE) String signature) {
    }

    @Schema(name = "BioServerInitLivenessSession", description = "A bio-session prepared for liveness in one call (integrators' route)")
    public record InitLivenessSession(
            @Schema(requiredMode = REQUIRED, allowableValues = {"LIVENESS_ACTIVE", "LIVENESS_PASSIVE", "LIVENESS_PASSIVE_VIDEO", "LIVENESS_HIGH"})
            String livenessMode,
            @Schema(minimum = "1", maximum = "8") Integer numberOfChallenge,
            String correlationId,
            String evidenceId,
            @Schema(description = "Accepted and ignored (use POST /v2/ages on the best image)") Integer ageThreshold,
            @Schema(allowableValues = {"LOW", "MEDIUM", "HIGH"}) String securityLevel,
            String callbackURL) {
    }
}
