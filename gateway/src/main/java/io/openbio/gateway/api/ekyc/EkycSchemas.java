package io.openbio.gateway.api.ekyc;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The request and response bodies of the IDLive eKYC API (seed 002) as the OpenAPI document
 * describes them. The answers themselves are built as JSON by the stages (processors {@code ekyc/},
 * {@code EkycJson}); these records only describe them, field names and enums as the seed gives them.
 * {@code OpenApiConformanceIntegrationTest} checks every live answer against the document, so a
 * stage that changes a field fails there, and {@code CheckModel}'s sets against the enums here.
 */
public final class EkycSchemas {
    private EkycSchemas() {
    }

    static final String OPERATIONS = "FACE_CHECK, DOC_CHECK, FACE_MATCH_VALIDATION, FACE_MATCH_SEARCH";

    // ---- checkModel (the JSON part of POST /check) ----------------------------------------------

    @Schema(name = "CheckModel", description = "Which checks POST /check runs, and how")
    public record CheckModel(
            @ArraySchema(minItems = 1, uniqueItems = true, arraySchema = @Schema(requiredMode = REQUIRED, description = "The checks to run"),
                    schema = @Schema(allowableValues = {"FACE_CHECK", "DOC_CHECK", "FACE_MATCH_VALIDATION", "FACE_MATCH_SEARCH"}))
            List<String> operations,
            @JsonProperty("face_check_parameters") FaceCheckParameters faceCheckParameters,
            @JsonProperty("document_check_parameters") DocumentCheckParameters documentCheckParameters,
            @JsonProperty("face_search_parameters") FaceSearchParameters faceSearchParameters) {
    }

    @Schema(name = "FaceCheckParameters", description = "Face checks; without pipelines: PRESENTATION_ATTACK, DEEPFAKE_ATTACK and INJECTION_ATTACK")
    public record FaceCheckParameters(
            @Schema(allowableValues = {"GENERAL", "DESKTOP"}, defaultValue = "GENERAL") String domain,
            List<FacePipeline> pipelines) {
    }

    @Schema(name = "FacePipeline")
    public record FacePipeline(
            @Schema(requiredMode = REQUIRED, allowableValues = {"PRESENTATION_ATTACK", "DEEPFAKE_ATTACK", "INJECTION_ATTACK"}) String type,
            @Schema(description = "Pipeline name; default: the type's default pipeline (pad-r-1 / dfd-1 name ours too)",
                    example = "pad-r-1") String pipeline,
            @Schema(allowableValues = {"REGULAR", "SOFT", "HARD"}, defaultValue = "REGULAR") String calibration) {
    }

    @Schema(name = "DocumentCheckParameters", description = "Document checks; without pipelines: all four")
    public record DocumentCheckParameters(List<DocumentPipeline> pipelines) {
    }

    @Schema(name = "DocumentPipeline")
    public record DocumentPipeline(
            @Schema(requiredMode = REQUIRED, allowableValues = {"SCREEN_REPLAY_ATTACK", "PRINTED_COPY_ATTACK",
                    "PORTRAIT_SUBSTITUTION_ATTACK", "DIGITAL_MANIPULATION_ATTACK"}) String type,
            @Schema(description = "Pipeline name; default: the type's default pipeline", example = "default-sr") String pipeline,
            @Schema(allowableValues = {"REGULAR", "SOFT", "HARD"}, defaultValue = "REGULAR") String calibration) {
    }

    @Schema(name = "FaceSearchParameters")
    public record FaceSearchParameters(
            @ArraySchema(minItems = 1, arraySchema = @Schema(requiredMode = REQUIRED, description = "Collections to search in"),
                    schema = @Schema(minLength = 1, example = "default-collection"))
            List<String> collections,
            @Schema(minimum = "1", maximum = "1000", defaultValue = "5", description = "Matches to return per search") Integer limit,
            @JsonProperty("max_faces")
            @Schema(minimum = "1", maximum = "100", defaultValue = "1", description = "More faces in an image are an error") Integer maxFaces) {
    }

    // ---- POST /check answer ---------------------------------------------------------------------

    @Schema(name = "CheckResult", description = "One section per requested operation, in the order face, doc, validation, search",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record CheckResult(
            @JsonProperty("face_result") FaceResult faceResult,
            @JsonProperty("doc_result") DocResult docResult,
            @JsonProperty("face_validation_result") ValidationResult faceValidationResult,
            @JsonProperty("face_search_result") SearchResult faceSearchResult) {
    }

    @Schema(name = "FaceResult", description = "FACE_CHECK: one entry per requested pipeline (an ERROR entry each when the stage failed)")
    public record FaceResult(List<FaceEntry> results,
                             @Schema(description = "Only without results: the stage could not read the check model") String error,
                             @JsonProperty("status_code") @Schema(allowableValues = "ERROR", description = "Only without results") String statusCode) {
    }

    @Schema(name = "FaceEntry", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record FaceEntry(
            @Schema(requiredMode = REQUIRED, allowableValues = {"PRESENTATION_ATTACK", "DEEPFAKE_ATTACK", "INJECTION_ATTACK"}) String type,
            @Schema(description = "Pipeline used (not on INJECTION_ATTACK)", example = "pad-r-1") String pipeline,
            @Schema(allowableValues = {"REGULAR", "SOFT", "HARD"}, description = "Calibration used (not on INJECTION_ATTACK)") String calibration,
            @Schema(minimum = "0", maximum = "1", description = "0 (spoofed) to 1 (live); threshold 0.5; only with status_code OK",
                    example = "0.95255303") Double probability,
            @Schema(deprecated = true, minimum = "0", maximum = "1", description = "Deprecated; here the face detector's confidence") Double quality,
            @Schema(description = "Why the check did not run", example = "Failed to detect face") String error,
            @JsonProperty("status_code")
            @Schema(requiredMode = REQUIRED, allowableValues = {"OK", "ERROR", "FACE_NOT_FOUND", "FACE_TOO_SMALL", "MULTIPLE_FACES",
                    "INVALID_IMAGE", "IMAGE_TRUNCATED", "IMAGE_TOO_LARGE", "MODEL_UNAVAILABLE", "CHECK_UNAVAILABLE", "INVALID_TEMPLATE",
                    "TEMPLATE_VERSION_MISMATCH"}, description = "OK, ERROR or the image validation error") String statusCode) {
    }

    @Schema(name = "DocResult", description = "DOC_CHECK: one entry per requested pipeline")
    public record DocResult(List<DocEntry> results,
                            @Schema(description = "Only without results: the stage could not read the check model") String error,
                            @JsonProperty("status_code") @Schema(allowableValues = "ERROR", description = "Only without results") String statusCode) {
    }

    @Schema(name = "DocEntry", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record DocEntry(
            @Schema(requiredMode = REQUIRED, allowableValues = {"SCREEN_REPLAY_ATTACK", "PRINTED_COPY_ATTACK",
                    "PORTRAIT_SUBSTITUTION_ATTACK", "DIGITAL_MANIPULATION_ATTACK"}) String type,
            @Schema(example = "default-sr") String pipeline,
            @Schema(allowableValues = {"REGULAR", "SOFT", "HARD"}) String calibration,
            @Schema(minimum = "0", maximum = "1", description = "0 (spoofed) to 1 (live); threshold 0.5; only with status_code OK",
                    example = "0.0") Double probability,
            @JsonProperty("quality_warnings")
            @ArraySchema(schema = @Schema(allowableValues = {"BLUR", "LOW_RESOLUTION", "GLARE", "TOO_DARK", "SMALL_PORTRAIT"}))
            List<String> qualityWarnings,
            @Schema(description = "Why the check did not run") String error,
            @JsonProperty("status_code")
            @Schema(requiredMode = REQUIRED, allowableValues = {"OK", "ERROR", "DOCUMENT_NOT_FOUND", "DOCUMENT_PHOTO_NOT_FOUND",
                    "DOCUMENT_CROPPED"}) String statusCode) {
    }

    @Schema(name = "ValidationResult", description = "FACE_MATCH_VALIDATION: selfie vs document portrait",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record ValidationResult(
            @Schema(minimum = "0", maximum = "1", description = "0 (different identities) to 1 (same); threshold 0.5", example = "0.0048826")
            Double probability,
            @Schema(example = "Failed to detect face") String error,
            @JsonProperty("status_code") @Schema(requiredMode = REQUIRED, allowableValues = {"OK", "ERROR"}) String statusCode) {
    }

    @Schema(name = "SearchResult", description = "FACE_MATCH_SEARCH: one entry per collection and image source")
    public record SearchResult(@Schema(requiredMode = REQUIRED) List<SearchEntry> results) {
    }

    @Schema(name = "SearchEntry", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record SearchEntry(
            @Schema(requiredMode = REQUIRED, example = "ekyc") String collection,
            @Schema(description = "Matches, best first (only with status_code OK)") List<SearchHit> results,
            @Schema(example = "Collection does not exist") String error,
            @JsonProperty("image_source") @Schema(requiredMode = REQUIRED, allowableValues = {"FACE", "DOCUMENT"}) String imageSource,
            @JsonProperty("status_code") @Schema(requiredMode = REQUIRED, allowableValues = {"OK", "ERROR"}) String statusCode) {
    }

    @Schema(name = "SearchHit", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record SearchHit(
            @JsonProperty("record_id") @Schema(requiredMode = REQUIRED, example = "16d33ecb-da91-4f39-afe5-46a8c846e40e") String recordId,
            @Schema(requiredMode = REQUIRED, minimum = "0", maximum = "1", description = "0 to 1 (same identity); threshold 0.9",
                    example = "0.99999964") double probability) {
    }

    // ---- templates and collections --------------------------------------------------------------

    @Schema(name = "Template", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Template(@Schema(requiredMode = REQUIRED, format = "byte", description = "Base64 matching template",
            example = "base64-encoded-template-string") String template) {
    }

    @Schema(name = "MatchScore", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record MatchScore(@Schema(requiredMode = REQUIRED, minimum = "0", maximum = "1", example = "0.85") double score) {
    }

    @Schema(name = "RecordIds", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record RecordIds(@JsonProperty("record_ids")
                            @ArraySchema(arraySchema = @Schema(requiredMode = REQUIRED), schema = @Schema(example = "generated-record-id"))
                            List<String> recordIds) {
    }
}
