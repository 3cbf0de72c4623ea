package io.openbio.gateway.api.dis.face;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The reference's (DIS 1.52) face and palm objects, for the OpenAPI document only. */
final class DisFaceSchemas {
    private DisFaceSchemas() {
    }

    @Schema(name = "DisImage", description = "Image as Base64 data (url: 400 DATA_DOWNLOADER_DISABLED, the platform downloads nothing)")
    record Image(@Schema(format = "byte") String data, String url) {
    }

    @Schema(name = "DisFaceSizeRatio", description = "Face box's longer side over the image's shorter side; min < max")
    record FaceSizeRatio(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") Double min,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") Double max) {
    }

    @Schema(name = "DisFaceDetectionProperties")
    record DetectionProperties(@Schema(allowableValues = {"FREE", "STRICT"}, description = "default FREE") String mode,
                               FaceSizeRatio faceSizeRatio) {
    }

    @Schema(name = "DisFaceOrigin")
    record FaceOrigin(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "/api/v1/customers/ff0d8fb4-be47-4858-b03c-6f21b479c302/selfie")
                      String link) {
    }

    @Schema(name = "DisCreateFaceRequest", description = "image, or faceOrigin (then without image and detection)")
    record CreateFaceRequest(Image image, DetectionProperties detection, FaceOrigin faceOrigin) {
    }

    @Schema(name = "DisPoint")
    record Point(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) int x, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int y) {
    }

    @Schema(name = "DisRoi")
    record Roi(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Point topLeft, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Point topRight,
               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Point bottomRight,
               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Point bottomLeft) {
    }

    @Schema(name = "DisFaceDetection")
    record FaceDetection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") double confidence,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Roi faceRectangle) {
    }

    @Schema(name = "DisLinks")
    record Links(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String self) {
    }

    @Schema(name = "DisCreateFaceResponse")
    record CreateFaceResponse(String id, FaceDetection detection, Links links,
                              @Schema(allowableValues = {"MULTIPLE_FACES_DETECTED", "NO_FACE_DETECTED", "INVALID_DATA"}) String errorCode,
                              @ArraySchema(schema = @Schema(allowableValues = {"MULTIPLE_FACES_DETECTED"})) List<String> warnings) {
    }

    @Schema(name = "DisFaceSimilarityRequest", description = "Exactly one of referenceFace and referenceFaceTemplate")
    record FaceSimilarityRequest(@Schema(example = "/api/v1/faces/ff0d8fb4-be47-4858-b03c-6f21b479c302") String referenceFace,
                                 @Schema(format = "byte") String referenceFaceTemplate) {
    }

    @Schema(name = "DisFaceSimilarityResponse")
    record Score(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") double score) {
    }

    @Schema(name = "DisFaceTemplateResponse")
    record FaceTemplate(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "byte") String data,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1.12345") String version) {
    }

    @Schema(name = "DisImageCrop")
    record ImageCrop(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "byte") String data) {
    }

    @Schema(name = "DisCropCoordinatesResponse")
    record CropCoordinates(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean fullyCaptured,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Roi coordinates) {
    }

    @Schema(name = "DisFaceAspectsResponse")
    record Aspects(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) int age,
                   @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") double gender) {
    }

    @Schema(name = "DisFaceAttribute")
    record FaceAttribute(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") double score,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean preconditionsMet) {
    }

    @Schema(name = "DisHeadPoseAttribute")
    record HeadPose(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) int angle,
                    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean preconditionsMet) {
    }

    @Schema(name = "DisFaceQualityResponse", description = "Each field present when measured on this face")
    record Quality(FaceAttribute sharpness, FaceAttribute brightness, FaceAttribute contrast, FaceAttribute uniqueIntensityLevels,
                   FaceAttribute shadow, FaceAttribute noseShadow, FaceAttribute specularity, FaceAttribute backgroundUniformity,
                   FaceAttribute redRightEye, FaceAttribute redLeftEye, HeadPose roll, HeadPose yaw, HeadPose pitch, FaceAttribute eyeDistance,
                   FaceAttribute eyeGaze, FaceAttribute rightEye, FaceAttribute leftEye, FaceAttribute mouth, FaceAttribute faceSize,
                   FaceAttribute faceRelativeArea, FaceAttribute faceRelativeAreaInImage) {
    }

    @Schema(name = "DisCreatePalmRequest")
    record CreatePalmRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Base64Image image) {
    }

    @Schema(name = "DisBase64Image")
    record Base64Image(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "byte") String data) {
    }

    @Schema(name = "DisPalmDetection")
    record PalmDetection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") double confidence,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "generally rotated: top = finger side") Roi palmRectangle) {
    }

    @Schema(name = "DisCreatePalmResponse")
    record CreatePalmResponse(String id, PalmDetection detection, Links links,
                              @Schema(allowableValues = {"NO_PALM_DETECTED", "INVALID_DATA"}) String errorCode) {
    }

    @Schema(name = "DisPalmSimilarityRequest", description = "Exactly one of referencePalm and referencePalmTemplate")
    record PalmSimilarityRequest(@Schema(example = "/api/v1/palms/ff0d8fb4-be47-4858-b03c-6f21b479c302") String referencePalm,
                                 @Schema(format = "byte") String referencePalmTemplate) {
    }

    @Schema(name = "DisPalmSimilarityResponse", description = "No palm-recognition model on this platform: always errorCode"
            + " PALM_TEMPLATE_MATCHING_FAILED, no score")
    record PalmSimilarity(@Schema(minimum = "0", maximum = "1") Double score,
                          @Schema(allowableValues = {"PALM_TEMPLATE_VERSION_MISMATCH", "PALM_TEMPLATE_INVALID_DATA",
                                  "PALM_TEMPLATE_MATCHING_FAILED"}) String errorCode) {
    }

    @Schema(name = "DisPalmVideoInjection")
    record VideoInjection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean evaluated, Boolean detected) {
    }

    @Schema(name = "DisPalmSecurityInspection")
    record SecurityInspection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) VideoInjection videoInjection) {
    }

    @Schema(name = "DisPalmInspectResponse")
    record PalmInspect(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) SecurityInspection securityInspection) {
    }
}
