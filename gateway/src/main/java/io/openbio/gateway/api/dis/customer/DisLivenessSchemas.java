package io.openbio.gateway.api.dis.customer;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The DIS liveness and inspection bodies as the reference ({@code dis-1.52.0-openapi.json}) has them, for the
 * OpenAPI document only (the stage writes the answers; the tests validate them against the reference).
 */
final class DisLivenessSchemas {
    static final String TYPES = "EYE_GAZE_LIVENESS, PASSIVE_LIVENESS, SMILE_LIVENESS, MAGNIFEYE_LIVENESS";

    private DisLivenessSchemas() {
    }

    @Schema(name = "DisCreateCustomerLivenessResponse")
    record CreateLivenessResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) DisCustomerSchemas.Links links) {
    }

    @Schema(name = "DisLivenessTypeRequest", description = "The liveness type (LivenessChallengeRequest, RetrieveLivenessSelfiesRequest,"
            + " EvaluateCustomerLivenessRequest)")
    record LivenessTypeRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"EYE_GAZE_LIVENESS", "PASSIVE_LIVENESS", "SMILE_LIVENESS", "MAGNIFEYE_LIVENESS"}) String type) {
    }

    @Schema(name = "DisEyeGazeChallengeDetails")
    record EyeGazeChallengeDetails(@ArraySchema(schema = @Schema(allowableValues = {"TOP_LEFT", "TOP_RIGHT", "BOTTOM_LEFT", "BOTTOM_RIGHT"}),
            arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The four corners in a random order")) List<String> corners) {
    }

    @Schema(name = "DisLivenessChallengeResponse")
    record LivenessChallengeResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) EyeGazeChallengeDetails details) {
    }

    @Schema(name = "DisSelfieOrigin", description = "The customer's selfie: /api/v1/customers/{id}/selfie")
    record SelfieOrigin(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "/api/v1/customers/65ebc529-50da-43cb-9963-e15fbf524f8e/selfie")
                        String link) {
    }

    @Schema(name = "DisCreateCustomerLivenessSelfieRequest", description = "image or selfieOrigin, and the assertion")
    record CreateLivenessSelfieRequest(DisCustomerSchemas.Image image, SelfieOrigin selfieOrigin,
                                       @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"EYE_GAZE_TOP_LEFT",
                                               "EYE_GAZE_TOP_RIGHT", "EYE_GAZE_BOTTOM_LEFT", "EYE_GAZE_BOTTOM_RIGHT", "SMILE", "NEUTRAL", "NONE"})
                                       String assertion) {
    }

    @Schema(name = "DisCreateCustomerLivenessSelfieResponse")
    record CreateLivenessSelfieResponse(@Schema(allowableValues = "NO_FACE_DETECTED") String errorCode,
                                        @ArraySchema(schema = @Schema(allowableValues = {"MULTIPLE_FACES_DETECTED", "LOW_QUALITY"})) List<String> warnings) {
    }

    @Schema(name = "DisLivenessSelfie")
    record LivenessSelfie(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String assertion,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "byte") String data) {
    }

    @Schema(name = "DisRetrieveLivenessSelfiesResponse")
    record RetrieveLivenessSelfiesResponse(List<LivenessSelfie> selfies, List<LivenessSelfie> recordSelfies) {
    }

    @Schema(name = "DisSelfieFromLivenessRecord")
    record SelfieFromRecord(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) DisCustomerSchemas.FaceDetection detection) {
    }

    @Schema(name = "DisLivenessRecordLinks")
    record RecordLinks(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String selfie) {
    }

    @Schema(name = "DisCreateCustomerLivenessRecordResponse", description = "The record's selfie (its best frame) and its link;"
            + " errorCode INVALID_DATA when the record is not a readable capture bundle of this platform")
    record CreateLivenessRecordResponse(SelfieFromRecord selfie, RecordLinks links, @Schema(allowableValues = "INVALID_DATA") String errorCode) {
    }

    @Schema(name = "DisEvaluateCustomerLivenessResponse")
    record EvaluateLivenessResponse(@Schema(minimum = "0", maximum = "1", description = "The liveness score (README: DIS liveness)") Double score,
                                    @Schema(allowableValues = {"NOT_ENOUGH_DATA", "INVALID_DATA"}) String errorCode) {
    }

    @Schema(name = "DisSelfieSimilarityWith", description = "The selfie's face against each image, true from the same-person score 0.5;"
            + " absent when the other image is missing; an image whose face is not found again is false")
    record SimilarityWith(@Schema(description = "The document portrait (front page, else back)") Boolean documentPortrait,
                          @Schema(description = "The chip's DG2 portrait") Boolean chipPortrait,
                          @Schema(description = "Every liveness selfie and liveness record selfie") Boolean livenessSelfies) {
    }

    @Schema(name = "DisSelfieInspectionGenderConsistency", description = "viz is not answered: no sex is located in the visual zone")
    record GenderConsistency(@Schema(description = "The selfie's gender estimate equals the document portrait's") Boolean documentPortrait,
                             @Schema(description = "The selfie's gender estimate equals the sex of the document's MRZ (absent when"
                                     + " unspecified or without an MRZ)") Boolean mrz) {
    }

    @Schema(name = "DisSelfieAgeDifferenceWith", description = "documentPortrait is not answered: it needs the document's date of issue,"
            + " which no MRZ holds")
    record SelfieAgeDifferenceWith(@Schema(description = "The largest difference in whole years between the selfie's age estimate and"
            + " the holder's age today by each date of birth read (MRZ, barcode, chip)", minimum = "0") Integer dateOfBirth) {
    }

    @Schema(name = "DisSelfieInspection")
    record SelfieInspection(SimilarityWith similarityWith, String genderEstimate, GenderConsistency genderConsistency, Integer ageEstimate,
                            SelfieAgeDifferenceWith ageDifferenceWith) {
    }

    @Schema(name = "DisVideoInjectionInspection")
    record VideoInjection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean evaluated, Boolean detected) {
    }

    @Schema(name = "DisSecurityInspection")
    record Security(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) VideoInjection videoInjection) {
    }

    @Schema(name = "DisCustomerInspectionLinks")
    record InspectionLinks(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String documentInspection) {
    }

    @Schema(name = "DisCustomerInspectResponse")
    record InspectResponse(SelfieInspection selfieInspection, Security security, InspectionLinks links) {
    }

    @Schema(name = "DisLivenessSelfiesDisclose")
    record LivenessSelfiesDisclose(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Minimum similarity of the selfie"
            + " with the liveness selfies") float score) {
    }

    @Schema(name = "DisDocumentPortraitDisclose")
    record DocumentPortraitDisclose(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Similarity of the selfie with the"
            + " document portrait (0 when the portrait's face is not found again)") float score) {
    }

    @Schema(name = "DisSelfieSimilarityWithDisclose")
    record SimilarityWithDisclose(DocumentPortraitDisclose documentPortrait, LivenessSelfiesDisclose livenessSelfies) {
    }

    @Schema(name = "DisSelfieInspectionDisclose")
    record SelfieInspectionDisclose(SimilarityWithDisclose similarityWith) {
    }

    @Schema(name = "DisCustomerInspectDiscloseResponse")
    record InspectDiscloseResponse(SelfieInspectionDisclose selfieInspection) {
    }
}
