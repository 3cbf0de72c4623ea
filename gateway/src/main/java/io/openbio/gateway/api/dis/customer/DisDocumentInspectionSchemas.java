package io.openbio.gateway.api.dis.customer;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The DIS document inspection's bodies as the reference ({@code dis-1.52.0-openapi.json}) has them, for the OpenAPI
 * document only (the stage writes the answers): the parts this platform measures (README "DIS documents"). Component
 * names carry a {@code Dis} prefix.
 */
final class DisDocumentInspectionSchemas {
    private DisDocumentInspectionSchemas() {
    }

    @Schema(name = "DisPortraitInspectionGenderConsistency", description = "viz is not answered: no sex is located in the visual zone")
    record PortraitGenderConsistency(@Schema(description = "The portrait's gender estimate equals the MRZ's sex (absent when unspecified)")
                                     Boolean mrz) {
    }

    @Schema(name = "DisAgeDifferenceWith", description = "Answered only when the difference is over 15 years (fr_age's spread)")
    record AgeDifferenceWith(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Whole years the portrait's age estimate"
            + " lies outside the holder's ages (by the dates of birth read) between 10 years before the expiry and today") int dateOfBirth) {
    }

    @Schema(name = "DisPortraitInspection", description = "fr_age and fr_gender of the document portrait's face; absent without a portrait")
    record PortraitInspection(@Schema(allowableValues = {"M", "F"}) String genderEstimate, PortraitGenderConsistency genderConsistency,
                              Integer ageEstimate, AgeDifferenceWith ageDifferenceWith) {
    }

    @Schema(name = "DisMrzInspection")
    record MrzInspection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Every check digit of the page MRZ is valid")
                         boolean valid) {
    }

    @Schema(name = "DisOcrConfidence")
    record OcrConfidence(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1", description = "The median"
            + " Tesseract confidence of the visual-zone text fields recognised (each its least sure word)") double confidence,
                         @Schema(description = "The fields (surname, givenNames, documentNumber, dateOfBirth, dateOfExpiry) read with a"
                                 + " confidence under 0.80 (not calibrated)") java.util.List<String> lowOcrConfidenceTexts) {
    }

    @Schema(name = "DisInconsistentTexts")
    record InconsistentTexts(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The fields the visual zone prints nearly"
            + " (1 edit; 2 from 10 characters) but not exactly as the source has them") java.util.List<String> inconsistentTexts) {
    }

    @Schema(name = "DisTextConsistentWith")
    record TextConsistentWith(InconsistentTexts mrz, InconsistentTexts barcodes) {
    }

    @Schema(name = "DisTextConsistency")
    record TextConsistency(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean consistent, TextConsistentWith consistencyWith) {
    }

    @Schema(name = "DisVisualZoneInspection", description = "Absent when no field of the MRZ, a barcode or the chip was found in the"
            + " visual zone's text")
    record VisualZoneInspection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) OcrConfidence ocrConfidence,
                                TextConsistency textConsistency) {
    }

    @Schema(name = "DisPageTamperingInspection", description = "The document checks measured at page upload on the photo as uploaded"
            + " (README: DIS documents); colorProfileChangeDetected and tamperedTexts are not measured here")
    record PageTamperingInspection(@Schema(description = "The screen-replay check's genuine probability is under 0.5") Boolean looksLikeScreenshot,
                                   @Schema(description = "The printed-copy check's genuine probability is under 0.5") Boolean looksLikePrintCopy) {
    }

    @Schema(name = "DisDocumentChipInspection")
    record ChipInspection(@Schema(description = "The passive authentication of the chip data (EF.SOD signature, data group hashes, the"
            + " signer's chain to a configured CSCA)", allowableValues = {"AUTHENTICATED", "DENIED", "INVALID_SOD_FILE", "INVALID_COM_FILE",
            "AUTHORITY_CERTIFICATES_NOT_PROVIDED"}) String dataAuthentication) {
    }

    @Schema(name = "DisDocumentInspectResponse", description = "The inspection's parts that were measured; a part that was not is absent")
    record DocumentInspectResponse(@Schema(description = "The date of expiry (page MRZ with a valid check digit, else the chip's DG1)"
            + " is before today") Boolean expired, MrzInspection mrzInspection, PortraitInspection portraitInspection,
                                   VisualZoneInspection visualZoneInspection, Map<String, PageTamperingInspection> pageTampering,
                                   ChipInspection chipInspection) {
    }

    @Schema(name = "DisTamperingScore")
    record Score(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1") float score) {
    }

    @Schema(name = "DisPageTamperingInspectionDisclose", description = "The scores behind the page's flags: looksLikeScreenshot = the"
            + " screen-replay check's genuine probability (lower: more likely a screen), presentationAttackScreenClass = 1 - it,"
            + " presentationAttackPrintClass = 1 - the printed-copy check's, presentationAttackDetectionGenuine = the smaller genuine"
            + " probability of the two, documentPortraitGenuine = the portrait-substitution check's (pages with a portrait)")
    record PageTamperingDisclose(Score looksLikeScreenshot, Score documentPortraitGenuine, Score presentationAttackDetectionGenuine,
                                 Score presentationAttackScreenClass, Score presentationAttackPrintClass) {
    }

    @Schema(name = "DisDocumentInspectDiscloseResponse")
    record DocumentInspectDiscloseResponse(Map<String, PageTamperingDisclose> pageTampering) {
    }
}
