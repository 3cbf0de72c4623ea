package io.openbio.gateway.api.dis.customer;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The DIS document inspection's bodies as the reference ({@code dis-1.52.0-openapi.json}) has them, for the OpenAPI
 * document only (the stage writes the answers): the parts this platform measures now. The parts read from the
 * document's text ({@code expired}, {@code mrzInspection}, {@code visualZoneInspection}, the portrait's consistency
 * with the text) are not answered yet. Component names carry a {@code Dis} prefix.
 */
final class DisDocumentInspectionSchemas {
    private DisDocumentInspectionSchemas() {
    }

    @Schema(name = "DisPortraitInspection", description = "fr_age and fr_gender of the document portrait's face; absent without a portrait")
    record PortraitInspection(@Schema(allowableValues = {"M", "F"}) String genderEstimate, Integer ageEstimate) {
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
    record DocumentInspectResponse(PortraitInspection portraitInspection, Map<String, PageTamperingInspection> pageTampering,
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
