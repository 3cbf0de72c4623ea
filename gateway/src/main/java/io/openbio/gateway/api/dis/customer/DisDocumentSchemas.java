package io.openbio.gateway.api.dis.customer;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The DIS document operations' bodies as the reference ({@code dis-1.52.0-openapi.json}) has them, for the
 * OpenAPI document only (the stage writes the answers). Component names carry a {@code Dis} prefix.
 */
final class DisDocumentSchemas {
    static final String[] SOURCES = {"VIZ", "MRZ", "BARCODE", "DOCUMENT_PORTRAIT", "GLOBAL_OCR"};

    private DisDocumentSchemas() {
    }

    @Schema(name = "DisDocumentClassificationAdvice", description = "The expected document: recorded and answered as the document type"
            + " with supportLevel NOT_SUPPORTED when no valid MRZ classifies the document (no edition templates on this platform)")
    record DocumentClassificationAdvice(@ArraySchema(schema = @Schema(example = "cze")) List<String> countries,
                                        @ArraySchema(schema = @Schema(example = "identity-card")) List<String> types,
                                        @ArraySchema(schema = @Schema(example = "2008-2019")) List<String> editions,
                                        @ArraySchema(schema = @Schema(allowableValues = {"td1", "td2", "td3"})) List<String> machineReadableTravelDocuments) {
    }

    @Schema(name = "DisDocumentAdvice")
    record DocumentAdvice(DocumentClassificationAdvice classification) {
    }

    @Schema(name = "DisCreateDocumentRequest")
    record CreateDocumentRequest(DocumentAdvice advice,
                                 @ArraySchema(schema = @Schema(allowableValues = {"VIZ", "MRZ", "BARCODE", "DOCUMENT_PORTRAIT", "GLOBAL_OCR"}))
                                 List<String> sources) {
    }

    @Schema(name = "DisCreateDocumentResponse")
    record CreateDocumentResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) DisCustomerSchemas.Links links) {
    }

    @Schema(name = "DisDocumentPageClassificationAdvice")
    record DocumentPageClassificationAdvice(@Schema(requiredMode = Schema.RequiredMode.REQUIRED)
                                            @ArraySchema(schema = @Schema(allowableValues = {"front", "back"})) List<String> pageTypes) {
    }

    @Schema(name = "DisDocumentPageAdvice")
    record DocumentPageAdvice(DocumentPageClassificationAdvice classification) {
    }

    @Schema(name = "DisCreateDocumentPageRequest")
    record CreateDocumentPageRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) DisCustomerSchemas.Image image, DocumentPageAdvice advice) {
    }

    @Schema(name = "DisDocumentCoordinates", description = "The card's corners in the photo, pixels")
    record DocumentCoordinates(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) DisCustomerSchemas.Point topLeftCorner,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) DisCustomerSchemas.Point topRightCorner,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) DisCustomerSchemas.Point bottomLeftCorner,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) DisCustomerSchemas.Point bottomRightCorner) {
    }

    @Schema(name = "DisDocumentDetection")
    record DocumentDetection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1",
            description = "The outline's edge support (a measured fit, not a probability); under 0.7 no card is taken") double confidence,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) DocumentCoordinates coordinates,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean cornerOutOfImage) {
    }

    @Schema(name = "DisDocumentType", description = "From a page MRZ with valid check digits (else the chip's DG1): type from the document"
            + " code (P passport, I identity-card), country from the issuing state when it is an ISO 3166 alpha-3 code, the MRZ type,"
            + " supportLevel MRZ_EXTRACTION_ONLY. Without one: the client's advice when it named one value, supportLevel NOT_SUPPORTED")
    record DocumentType(String country, String edition, String type, String machineReadableTravelDocument,
                        @Schema(allowableValues = {"FULL_SUPPORT", "MRZ_EXTRACTION_ONLY", "NOT_SUPPORTED"}) String supportLevel) {
    }

    @Schema(name = "DisCreateDocumentPageResponse", description = "The page's detection; errorCode NO_CARD_CORNERS_DETECTED when no card"
            + " was found (nothing kept); warning DOCUMENT_TYPE_NOT_RECOGNIZED when the document has no advice")
    record CreateDocumentPageResponse(DocumentType documentType, String pageType, DocumentDetection detection,
                                      @Schema(allowableValues = {"NO_CARD_CORNERS_DETECTED", "PAGE_DOESNT_MATCH_DOCUMENT_TYPE_OF_PREVIOUS_PAGE", "INVALID_DATA"})
                                      String errorCode,
                                      @ArraySchema(schema = @Schema(allowableValues = {"DOCUMENT_TYPE_MISMATCH_BETWEEN_PAGES", "PAGE_CLASSIFICATION_CHANGED",
                                              "PORTRAIT_NOT_GUARANTEED_OF_THE_SAME_PERSON", "MISSING_FRONT_PAGE", "DOCUMENT_TYPE_NOT_RECOGNIZED"}))
                                      List<String> warnings,
                                      DisCustomerSchemas.Links links) {
    }

    @Schema(name = "DisQualityCheckDetail")
    record QualityCheckDetail(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") double score,
                              @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"LOW", "MEDIUM", "HIGH"}) String level) {
    }

    @Schema(name = "DisQualityDetails")
    record QualityDetails(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) QualityCheckDetail sharpness,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED) QualityCheckDetail brightness,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED) QualityCheckDetail hotspots) {
    }

    @Schema(name = "DisDocumentPageQuality", description = "Measured on the normalised page at upload")
    record DocumentPageQuality(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean fine,
                               @ArraySchema(schema = @Schema(allowableValues = {"BRIGHTNESS_HIGH", "BRIGHTNESS_LOW", "HOTSPOTS_SCORE_HIGH",
                                       "SHARPNESS_LOW", "DOCUMENT_SMALL", "DOCUMENT_OUT_OF_IMAGE"})) List<String> issues,
                               @ArraySchema(schema = @Schema(allowableValues = "DOCUMENT_CLOSE_TO_IMAGE_BORDER")) List<String> warnings,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) QualityDetails details) {
    }

    @Schema(name = "DisCreateDocumentChipResponse")
    record CreateDocumentChipResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "byte",
            description = "8 random bytes for the chip's active authentication") String challenge) {
    }

    @Schema(name = "DisCreateDocumentChipDataResponse", description = "Kept (links), or errorCode LDS_PARSE_ERROR")
    record CreateDocumentChipDataResponse(DisCustomerSchemas.Links links, @Schema(allowableValues = "LDS_PARSE_ERROR") String errorCode) {
    }

    @Schema(name = "DisCustomerDocumentLinks")
    record CustomerDocumentLinks(String portrait, String chipPortrait, Map<String, String> pages) {
    }

    @Schema(name = "DisMrzCheckDigitsValidity", description = "Each ICAO 9303 check digit of the zone recomputed on the characters read;"
            + " personalNumberCheckDigitValid for TD3 only")
    record CheckDigitsValidity(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean documentNumberCheckDigitValid,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean dateOfBirthCheckDigitValid,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean dateOfExpiryCheckDigitValid,
                               Boolean personalNumberCheckDigitValid,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean compositeCheckDigitValid) {
    }

    @Schema(name = "DisTdMrz", description = "A parsed TD1 / TD2 / TD3 zone (fields as the MRZ has them: dates YYMMDD, gender M, F or \"\","
            + " codes without fillers). optionalDataFirstLine: TD1; optionalDataSecondLine: TD1, TD2; personalNumberOrOptionalDataSecondLine: TD3")
    record TdMrz(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ID") String documentCode,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "CZE") String issuingAuthority,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String surname,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String givenNames,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String documentNumber,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String nationality,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "850317") String dateOfBirth,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"M", "F", ""}) String gender,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "310911") String dateOfExpiry,
                 String optionalDataFirstLine, String optionalDataSecondLine, String personalNumberOrOptionalDataSecondLine,
                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED) CheckDigitsValidity checkDigitsValidity) {
    }

    @Schema(name = "DisMrz", description = "The page's MRZ, read (Tesseract) and parsed (JMRTD) with every check digit; one of td1, td2, td3")
    record Mrz(TdMrz td1, TdMrz td2, TdMrz td3) {
    }

    @Schema(name = "DisBarcode", description = "A decoded barcode (ZXing)")
    record Barcode(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "byte") String data,
                   @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"pdf_417", "qr_code", "code_39", "code_128"})
                   String type) {
    }

    @Schema(name = "DisCustomerDocument", description = "The customer's document: its type, what was read on its pages and chip, the pages"
            + " kept, links. barcodes: by page type, then by barcode type (a second of one type on a page: <type>_2, ...)."
            + " dateOfIssue and additionalTexts (addressStreet, addressCity, addressJurisdiction, addressPostalCode): from an"
            + " AAMVA PDF417 (US and Canadian driver's licences and ID cards) only")
    record CustomerDocument(DocumentType type, @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> pageTypes,
                            DisCustomerSchemas.MultiValueAttribute dateOfIssue,
                            DisCustomerSchemas.MultiValueAttribute dateOfExpiry, DisCustomerSchemas.MultiValueAttribute documentNumber,
                            DisCustomerSchemas.MultiValueAttribute issuingAuthority,
                            Map<String, MultiValueAttributeWithoutMrz> additionalTexts, Mrz mrz,
                            Map<String, Map<String, Barcode>> barcodes,
                            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) CustomerDocumentLinks links) {
    }

    @Schema(name = "DisMultiValueAttributeWithoutMrz", description = "A document text without an MRZ value, by source")
    record MultiValueAttributeWithoutMrz(@Schema(example = "RICHMOND") String visualZone, String chip,
                                         @Schema(example = "RICHMOND") String barcode) {
    }

    @Schema(name = "DisMetadataTextField", description = "A field the platform may answer from the visual zone: confirmed by the OCR,"
            + " never located by a template (no label is read)")
    record TextField(String label, @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            description = "True when the answered value is normalised (dates as YYYY-MM-DD), false when it is the OCR words as read")
                     boolean valueNormalized) {
    }

    @Schema(name = "DisMetadataPortrait")
    record Portrait(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean present) {
    }

    @Schema(name = "DisPageMetadata")
    record PageMetadata(@Schema(description = "True: the platform has no page classifier, the page type is the client's advice (else the"
            + " upload order)") Boolean classificationAdviceRequired, Portrait portrait,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, TextField> visualZone) {
    }

    @Schema(name = "DisMetadataDocument")
    record MetadataDocument(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) DocumentType documentType,
                            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, PageMetadata> pages) {
    }

    @Schema(name = "DisDocumentMetadataResponse", description = "What the platform reads: ICAO 9303 MRZ documents of any issuing state"
            + " (MRZ_EXTRACTION_ONLY); no edition is supported in full (no layout templates)")
    record DocumentMetadataResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<MetadataDocument> documents) {
    }
}
