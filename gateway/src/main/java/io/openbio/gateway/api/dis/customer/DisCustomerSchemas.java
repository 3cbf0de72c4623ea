package io.openbio.gateway.api.dis.customer;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The DIS customer operations' bodies as the reference ({@code dis-1.52.0-openapi.json}) has them, for the
 * OpenAPI document only (the stage writes the answers; {@code DisClient} validates them against the
 * reference in the tests). Component names carry a {@code Dis} prefix so they never meet another product's.
 */
final class DisCustomerSchemas {
    private DisCustomerSchemas() {
    }

    @Schema(name = "DisLinks", description = "The resource's links")
    record Links(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "/api/v1/customers/65ebc529-50da-43cb-9963-e15fbf524f8e")
                 String self) {
    }

    @Schema(name = "DisCreateCustomerResponse")
    record CreateCustomerResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The customer's ID") String id,
                                  @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Links links) {
    }

    @Schema(name = "DisBiometricMultiValueAttribute", description = "Values of a biometric attribute from different sources: the selfie"
            + " (the face models), the document's MRZ and the chip's DG1 (age: whole years since the date of birth read there)")
    record BiometricMultiValueAttribute(@Schema(description = "From the selfie (age in years; gender M or F)", example = "34") String selfie,
                                        @Schema(description = "From the page's MRZ (gender M, F, or X when the MRZ leaves it unspecified)",
                                                example = "F") String mrz,
                                        @Schema(description = "From the chip's DG1", example = "F") String chip) {
    }

    @Schema(name = "DisMultiValueAttribute", description = "Values of a textual attribute by source. mrz: the page's MRZ; barcode: a barcode"
            + " whose content is an ICAO 9303 MRZ; chip: the chip's DG1; visualZone: only where the OCR text of the pages' visual zone"
            + " spells a value read from the MRZ, the chip or a barcode (no edition layout templates: the printed text is not attributed"
            + " to fields by position), as read (dates YYYY-MM-DD). Dates are YYYY-MM-DD")
    record MultiValueAttribute(@Schema(example = "SVOBODOVA") String visualZone, @Schema(example = "SVOBODOVA") String mrz,
                               @Schema(example = "SVOBODOVA") String chip, @Schema(example = "SVOBODOVA") String barcode) {
    }

    @Schema(name = "DisCustomer", description = "What is known of the customer: the selfie's age and gender estimates (fr_age, fr_gender);"
            + " the personal fields read on the document (MRZ, barcode, visual zone) and its chip (DG1); the document")
    record Customer(BiometricMultiValueAttribute age, BiometricMultiValueAttribute gender, MultiValueAttribute givenNames,
                    MultiValueAttribute surname, MultiValueAttribute dateOfBirth, MultiValueAttribute personalNumber,
                    MultiValueAttribute nationality, DisDocumentSchemas.CustomerDocument document) {
    }

    @Schema(name = "DisGetCustomerResponse")
    record GetCustomerResponse(Customer customer) {
    }

    @Schema(name = "DisCustomerStoreRequest")
    record CustomerStoreRequest(@Schema(pattern = "^[a-zA-Z\\d._-]{1,64}$", description = "External identifier (default: the customer id)")
                                String externalId,
                                @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"IN_PROGRESS", "FINISHED"})
                                String onboardingStatus) {
    }

    @Schema(name = "DisImage", description = "Image as base64 'data'; 'url' is refused (DATA_DOWNLOADER_DISABLED: the platform runs offline)")
    record Image(@Schema(format = "byte") String data, String url) {
    }

    @Schema(name = "DisLivenessSelfieOrigin", description = "A liveness record's selfie to use as the customer's selfie")
    record LivenessSelfieOrigin(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            example = "/api/v1/customers/65ebc529-50da-43cb-9963-e15fbf524f8e/liveness/records/df0d69e3-9d59-4a8b-82de-510b3950dc39/selfie")
                                String link) {
    }

    @Schema(name = "DisCreateSelfieRequest", description = "image or selfieOrigin")
    record CreateSelfieRequest(Image image, LivenessSelfieOrigin selfieOrigin) {
    }

    @Schema(name = "DisPoint")
    record Point(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) int x, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int y) {
    }

    @Schema(name = "DisRoi", description = "The face rectangle, pixels of the image")
    record Roi(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Point topLeft, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Point topRight,
               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Point bottomRight,
               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Point bottomLeft) {
    }

    @Schema(name = "DisFaceDetection")
    record FaceDetection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1",
            description = "The face detector's score") double confidence,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Roi faceRectangle) {
    }

    @Schema(name = "DisCreateSelfieResponse", description = "The detection of the selfie's face (the largest when there are several);"
            + " errorCode NO_FACE_DETECTED when there is none")
    record CreateSelfieResponse(FaceDetection detection, Links links,
                                @Schema(allowableValues = {"NO_FACE_DETECTED", "INVALID_DATA"}) String errorCode,
                                @ArraySchema(schema = @Schema(allowableValues = "MULTIPLE_FACES_DETECTED")) List<String> warnings) {
    }

    @Schema(name = "DisImageCrop", description = "The image crop (JPEG)")
    record ImageCrop(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "byte") String data) {
    }

    @Schema(name = "DisCreateSessionRequest")
    record CreateSessionRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The session's timeout in seconds",
            example = "600") int timeout) {
    }

    @Schema(name = "DisCreateSessionResponse")
    record CreateSessionResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            description = "The session's token (base64url, 32 random bytes): send it as x-inn-session-token") String token) {
    }

    @Schema(name = "DisActuatorHealth")
    record Health(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"UP", "DOWN"}) String status) {
    }

    @Schema(name = "DisBuildInfo")
    record Build(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String artifact, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String group, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version) {
    }

    @Schema(name = "DisLicense")
    record License(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String year, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String month,
                   @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String day) {
    }

    @Schema(name = "DisIfaceInfo")
    record Iface(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) License license) {
    }

    @Schema(name = "DisSamInfo")
    record Sam(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version) {
    }

    @Schema(name = "DisActuatorInfo", description = "build: this gateway; iface: the platform version and the configured licence date"
            + " (OPENBIO_IAD_EXPIRATION_DATE); sam: the platform version")
    record ActuatorInfo(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Build build, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Iface iface,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Sam sam) {
    }
}
