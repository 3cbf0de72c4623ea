package io.openbio.processors.dis.customer;

import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.body;
import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.code;
import static io.openbio.processors.dis.customer.DisDocumentTopologyTest.attrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.DisDocumentPage;
import io.openbio.events.ResultEvent;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Point;
import io.openbio.inference.dis.DisScores;
import io.openbio.inference.document.Calibration;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.document.DocumentAttack;
import io.openbio.inference.document.Quad;
import io.openbio.processors.core.Analyzers;
import io.openbio.schemas.contract.DisContract;
import io.openbio.testkit.IdCards;
import io.openbio.testkit.MrzCardPhotos;
import io.openbio.testkit.MrzDocuments;
import io.openbio.testkit.Photos;
import io.openbio.testkit.TestChips;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The customer inspection against the document and chip portraits, and the document inspection and crops, on
 * TopologyTestDriver with the real face models and document checks. Photos: two photos of one man (panels of
 * {@code same_man_x3.jpg}), one as the selfie and one pasted on the testkit's synthetic ID card; {@code man_a.jpg},
 * another man, as the chip's DG2 portrait ({@link TestChips}) and as a second selfie.
 */
class DisInspectionTopologyTest {
    static byte[] selfie;
    static byte[] card;
    static byte[] manA;
    static TestChips chips;

    @BeforeAll
    static void photos() throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        selfie = Photos.panel(Photos.SAME_MAN_X3, 1, 3);
        card = IdCards.withPortrait(Photos.panel(Photos.SAME_MAN_X3, 0, 3));
        manA = Photos.bytes(Photos.MAN_A);
        chips = new TestChips("UT");
    }

    static JsonNode inspect(DisCustomerTopologyTest.Stage stage, String operation, String id) throws Exception {
        return body(stage.customer(operation, id));
    }

    static void selfie(DisCustomerTopologyTest.Stage stage, String id, byte[] image) throws Exception {
        assertThat(body(stage.customer(DisContract.SELFIE_PUT, id, null, Map.of(), Map.of(DisContract.IMAGE_PART, image))).has("errorCode")).isFalse();
    }

    @Test
    void thePrintCopyFlagUsesTheChecksSoftCalibrationPointAndTheScreenFlagItsOwn() {
        // default-pc's genuine cards have a median probability of 0.499 (inference EVALUATION.md): at 0.5 half were flagged
        String screen = DocumentAttack.SCREEN_REPLAY_ATTACK.name();
        String print = DocumentAttack.PRINTED_COPY_ATTACK.name();
        JsonNode genuineLooking = DisPageTampering.inspect(Map.of(screen, 0.6, print, 0.4));
        assertThat(genuineLooking.get("looksLikePrintCopy").asBoolean()).isFalse();
        assertThat(genuineLooking.get("looksLikeScreenshot").asBoolean()).isFalse();
        JsonNode printed = DisPageTampering.inspect(Map.of(screen, 0.6, print, 0.2));
        assertThat(printed.get("looksLikePrintCopy").asBoolean()).isTrue();
        JsonNode screenLike = DisPageTampering.inspect(Map.of(screen, 0.4, print, 0.9));
        assertThat(screenLike.get("looksLikeScreenshot").asBoolean()).isTrue();
        assertThat(screenLike.get("looksLikePrintCopy").asBoolean()).isFalse();
        // the disclose score is the check's probability as measured, whatever the flag's threshold
        assertThat(DisPageTampering.disclose(Map.of(screen, 0.6, print, 0.4)).at("/presentationAttackPrintClass/score").asDouble())
                .isCloseTo(0.6, within(1e-6));
        assertThat(DisPageTampering.PRINT_COPY_FROM).isEqualTo(Calibration.SOFT.rawThreshold()).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void theSelfieIsComparedWithTheDocumentAndChipPortraits() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            selfie(stage, id, selfie);
            // no document: neither comparison, and the disclose is empty
            JsonNode before = inspect(stage, DisContract.CUSTOMER_INSPECT, id);
            assertThat(before.at("/selfieInspection").has("similarityWith")).as(before.toString()).isFalse();
            assertThat(before.at("/selfieInspection").has("genderConsistency")).isFalse();
            assertThat(inspect(stage, DisContract.CUSTOMER_INSPECT_DISCLOSE, id).isEmpty()).isTrue();

            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_TYPES, "identity-card"), Map.of()));
            assertThat(body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, card)))
                    .has("errorCode")).isFalse();
            JsonNode inspection = inspect(stage, DisContract.CUSTOMER_INSPECT, id);
            JsonNode disclose = inspect(stage, DisContract.CUSTOMER_INSPECT_DISCLOSE, id);
            double portraitScore = disclose.at("/selfieInspection/similarityWith/documentPortrait/score").asDouble();
            System.out.println("selfie vs document portrait (same man, another photo): " + portraitScore + " " + inspection);
            assertThat(portraitScore).isGreaterThanOrEqualTo(DisScores.SAME_PERSON_THRESHOLD);
            assertThat(inspection.at("/selfieInspection/similarityWith/documentPortrait").asBoolean()).isTrue();
            assertThat(inspection.at("/selfieInspection/similarityWith").has("chipPortrait")).isFalse();
            assertThat(inspection.at("/selfieInspection/similarityWith").has("livenessSelfies")).isFalse();
            assertThat(disclose.at("/selfieInspection/similarityWith").has("livenessSelfies")).isFalse();
            // the selfie's gender against the portrait's, both fr_gender
            InspectedFace portraitFace = InspectedFace.of(Analyzers.shared(), portrait(stage, id));
            assertThat(inspection.at("/selfieInspection/genderConsistency/documentPortrait").asBoolean())
                    .isEqualTo(portraitFace.gender().equals(inspection.at("/selfieInspection/genderEstimate").asText()));

            // the chip's portrait is another man: chipPortrait false (no disclose entry for it in the reference)
            assertThat(body(stage.customer(DisContract.CHIP_DATA_PUT, id, null, Map.of(), Map.of(DisContract.CHIP_PART, chips.genuine())))
                    .has("errorCode")).isFalse();
            JsonNode withChip = inspect(stage, DisContract.CUSTOMER_INSPECT, id);
            assertThat(withChip.at("/selfieInspection/similarityWith/chipPortrait").asBoolean()).as(withChip.toString()).isFalse();
            assertThat(withChip.at("/selfieInspection/similarityWith/documentPortrait").asBoolean()).isTrue();
            assertThat(inspect(stage, DisContract.CUSTOMER_INSPECT_DISCLOSE, id).at("/selfieInspection/similarityWith").has("chipPortrait")).isFalse();

            // that man's own selfie: the chip portrait matches, the document portrait does not
            selfie(stage, id, manA);
            JsonNode other = inspect(stage, DisContract.CUSTOMER_INSPECT, id);
            assertThat(other.at("/selfieInspection/similarityWith/chipPortrait").asBoolean()).as(other.toString()).isTrue();
            assertThat(other.at("/selfieInspection/similarityWith/documentPortrait").asBoolean()).isFalse();
            assertThat(inspect(stage, DisContract.CUSTOMER_INSPECT_DISCLOSE, id).at("/selfieInspection/similarityWith/documentPortrait/score").asDouble())
                    .isLessThan(DisScores.SAME_PERSON_THRESHOLD);
        }
    }

    static byte[] portrait(DisCustomerTopologyTest.Stage stage, String id) throws Exception {
        return java.util.Base64.getDecoder().decode(body(stage.customer(DisContract.DOCUMENT_PORTRAIT, id)).get("data").asText());
    }

    /** A portrait crop whose face is not found again scores 0: the selfie's person was not found in it (fail closed). */
    @Test
    void aPortraitWithoutAFaceScoresZero() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            selfie(stage, id, selfie);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, card)));
            // the kept crop replaced (sealed, as the stage keeps it) by an image without a face
            new CustomerParts(stage.parts()).put(stage.customers().get(id), id, CustomerParts.pagePortrait("front"), Photos.bytes(Photos.SUDOKU));
            JsonNode inspection = inspect(stage, DisContract.CUSTOMER_INSPECT, id);
            assertThat(inspection.at("/selfieInspection/similarityWith/documentPortrait").asBoolean()).as(inspection.toString()).isFalse();
            assertThat(inspection.at("/selfieInspection").has("genderConsistency")).isFalse();
            assertThat(inspect(stage, DisContract.CUSTOMER_INSPECT_DISCLOSE, id).at("/selfieInspection/similarityWith/documentPortrait/score").asDouble())
                    .isZero();
            // and the document inspection has no portrait inspection
            assertThat(inspect(stage, DisContract.DOCUMENT_INSPECT, id).has("portraitInspection")).isFalse();
        }
    }

    @Test
    void theDocumentInspectionAnswersWhatWasMeasured() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            // no customer, no document: 404
            assertThat(code(stage.customer(DisContract.DOCUMENT_INSPECT, UUID.randomUUID().toString()))).isEqualTo("NOT_FOUND");
            ResultEvent noDocument = stage.customer(DisContract.DOCUMENT_INSPECT_DISCLOSE, id);
            assertThat(code(noDocument)).isEqualTo("NOT_FOUND");
            assertThat(noDocument.getError().getMessage()).contains("Document");
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            // a document without pages or chip: nothing measured
            assertThat(inspect(stage, DisContract.DOCUMENT_INSPECT, id).isEmpty()).isTrue();
            assertThat(inspect(stage, DisContract.DOCUMENT_INSPECT_DISCLOSE, id).isEmpty()).isTrue();

            long start = System.nanoTime();
            body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, card)));
            System.out.printf("PUT page with the document checks: %d ms (one run)%n", (System.nanoTime() - start) / 1_000_000);
            body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "back"), Map.of(DisContract.IMAGE_PART, IdCards.blank())));
            Map<String, Double> front = page(stage, id, "front").getTampering();
            Map<String, Double> back = page(stage, id, "back").getTampering();
            System.out.println("tampering front " + front + ", back " + back);

            // measured on the photo as uploaded, within the page's outline: the document checks' own probabilities
            DisDocumentPage kept = page(stage, id, "front");
            FaceAnalyzer fa = Analyzers.shared();
            Properties config = new Properties();
            config.setProperty(DocumentAnalyzer.REQUIRE_PORTRAIT, "false");
            try (DocumentAnalyzer checks = DocumentAnalyzer.create(fa, config)) {
                List<Integer> c = kept.getCorners();
                Quad outline = new Quad(new Point(c.get(0), c.get(1)), new Point(c.get(2), c.get(3)), new Point(c.get(4), c.get(5)),
                        new Point(c.get(6), c.get(7)));
                long t0 = System.nanoTime();
                DocumentAnalysis doc = checks.analyze(fa.decode(card), outline, false);
                for (DocumentAttack type : DisPageTampering.CHECKS) {
                    assertThat(front.get(type.name())).as(type.name()).isCloseTo(checks.check(type, doc, Calibration.REGULAR).probability(), within(0.02));
                }
                System.out.printf("the three document checks on the 1280x900 card photo, warm: %d ms (one run)%n", (System.nanoTime() - t0) / 1_000_000);
            }
            // the back has no portrait: no portrait-substitution check, the recapture checks ran
            assertThat(back).containsKeys(DocumentAttack.SCREEN_REPLAY_ATTACK.name(), DocumentAttack.PRINTED_COPY_ATTACK.name())
                    .doesNotContainKey(DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK.name());

            JsonNode inspection = inspect(stage, DisContract.DOCUMENT_INSPECT, id);
            JsonNode disclose = inspect(stage, DisContract.DOCUMENT_INSPECT_DISCLOSE, id);
            System.out.println("document inspection " + inspection + "\ndisclose " + disclose);
            for (String pageType : List.of("front", "back")) {
                Map<String, Double> t = pageType.equals("front") ? front : back;
                double screen = t.get(DocumentAttack.SCREEN_REPLAY_ATTACK.name());
                double print = t.get(DocumentAttack.PRINTED_COPY_ATTACK.name());
                JsonNode flags = inspection.at("/pageTampering/" + pageType);
                assertThat(flags.get("looksLikeScreenshot").asBoolean()).isEqualTo(screen < 0.5);
                assertThat(flags.get("looksLikePrintCopy").asBoolean()).isEqualTo(print < 0.25);
                assertThat(flags.has("tamperedTexts")).isFalse();
                assertThat(flags.has("colorProfileChangeDetected")).isFalse();
                JsonNode scores = disclose.at("/pageTampering/" + pageType);
                assertThat(scores.at("/looksLikeScreenshot/score").asDouble()).isCloseTo(screen, within(1e-6));
                assertThat(scores.at("/presentationAttackScreenClass/score").asDouble()).isCloseTo(1 - screen, within(1e-6));
                assertThat(scores.at("/presentationAttackPrintClass/score").asDouble()).isCloseTo(1 - print, within(1e-6));
                assertThat(scores.at("/presentationAttackDetectionGenuine/score").asDouble()).isCloseTo(Math.min(screen, print), within(1e-6));
                assertThat(scores.has("tamperedTexts")).isFalse();
            }
            assertThat(disclose.at("/pageTampering/front/documentPortraitGenuine/score").asDouble())
                    .isCloseTo(front.get(DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK.name()), within(1e-6));
            assertThat(disclose.at("/pageTampering/back").has("documentPortraitGenuine")).isFalse();

            // the document portrait's age and gender (fr_age, fr_gender)
            InspectedFace portrait = InspectedFace.of(fa, portrait(stage, id));
            assertThat(inspection.at("/portraitInspection/ageEstimate").asInt()).isEqualTo((int) Math.round(portrait.age())).isBetween(15, 80);
            assertThat(inspection.at("/portraitInspection/genderEstimate").asText()).isEqualTo(portrait.gender());
            // this card has no MRZ and its printed text spells no value read elsewhere: nothing from the text
            for (String absent : List.of("expired", "mrzInspection", "visualZoneInspection", "chipInspection")) {
                assertThat(inspection.has(absent)).as(absent).isFalse();
            }
            assertThat(inspection.at("/portraitInspection").has("genderConsistency")).isFalse();

            // the chip's passive authentication (no CSCA configured)
            body(stage.customer(DisContract.CHIP_DATA_PUT, id, null, Map.of(), Map.of(DisContract.CHIP_PART, chips.genuine())));
            JsonNode chip = inspect(stage, DisContract.DOCUMENT_INSPECT, id).get("chipInspection");
            assertThat(chip.get("dataAuthentication").asText()).isEqualTo("AUTHORITY_CERTIFICATES_NOT_PROVIDED");
            assertThat(chip.has("chipAuthentication")).isFalse();
            // DG1's date of expiry (2034-04-15) answers expired
            assertThat(inspect(stage, DisContract.DOCUMENT_INSPECT, id).get("expired").asBoolean()).isFalse();
        }
    }

    /** A Czech ID card (TD1) of a man; the portrait is {@code man_b.jpg}. */
    static final MrzDocuments.Holder GENUINE = new MrzDocuments.Holder("ID", "CZE", "DVORAK", "PETR", "HK4726190", "CZE",
            "800512", "M", "310911", "");
    /** Expired (2024-01-01), a date of birth of 2019 (a child, with an adult's portrait), and the number printed HK4726198. */
    static final MrzDocuments.Holder FORGED = new MrzDocuments.Holder("ID", "CZE", "DVORAK", "PETR", "HK4726190", "CZE",
            "190304", "M", "240101", "");

    /** The forged page: FORGED's MRZ with the date of birth's check digit changed, printed with another document number. */
    static byte[] forgedPage() {
        List<String> mrz = new java.util.ArrayList<>(MrzDocuments.mrz(MrzDocuments.Layout.TD1, FORGED));
        char cd = mrz.get(1).charAt(6);
        mrz.set(1, mrz.get(1).substring(0, 6) + (char) ('0' + (cd - '0' + 1) % 10) + mrz.get(1).substring(7));
        MrzDocuments.Holder printed = new MrzDocuments.Holder("ID", "CZE", "DVORAK", "PETR", "HK4726198", "CZE",
                "190304", "M", "240101", "");
        return MrzCardPhotos.onDesk(MrzDocuments.page(MrzDocuments.Layout.TD1, printed, mrz, Photos.bytes(Photos.MAN_B),
                MrzDocuments.ocrB(), 1000));
    }

    @Test
    void theTextIsInspectedExpiryCheckDigitsVisualZoneAgeAndGender() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART,
                    MrzCardPhotos.onDesk(MrzDocuments.Layout.TD1, GENUINE, Photos.bytes(Photos.MAN_B), 1000))));
            JsonNode genuine = inspect(stage, DisContract.DOCUMENT_INSPECT, id);
            System.out.println("genuine TD1: " + genuine);
            assertThat(genuine.get("expired").asBoolean()).isFalse();
            assertThat(genuine.at("/mrzInspection/valid").asBoolean()).isTrue();
            JsonNode viz = genuine.get("visualZoneInspection");
            assertThat(viz.at("/ocrConfidence/confidence").asDouble()).isBetween(0.0, 1.0);
            assertThat(viz.at("/ocrConfidence/lowOcrConfidenceTexts").isArray()).isTrue();
            assertThat(viz.at("/textConsistency/consistent").asBoolean()).isTrue();
            assertThat(viz.at("/textConsistency/consistencyWith/mrz/inconsistentTexts").isEmpty()).isTrue();
            assertThat(viz.at("/textConsistency/consistencyWith").has("barcodes")).as("no barcode").isFalse();
            JsonNode portrait = genuine.get("portraitInspection");
            assertThat(portrait.at("/genderConsistency/mrz").asBoolean()).isEqualTo("M".equals(portrait.get("genderEstimate").asText()));
            assertThat(portrait.at("/genderConsistency").has("viz")).isFalse();
            // born 1980: 41 to 46 while the card (expiry 2031) can have been issued; the estimate is within the tolerance
            assertThat(portrait.has("ageDifferenceWith")).as(portrait.toString()).isFalse();
            // the disclose has no text items in the reference
            assertThat(inspect(stage, DisContract.DOCUMENT_INSPECT_DISCLOSE, id).fieldNames()).toIterable().containsOnly("pageTampering");

            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, forgedPage())));
            JsonNode forged = inspect(stage, DisContract.DOCUMENT_INSPECT, id);
            System.out.println("forged TD1: " + forged);
            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            assertThat(customer.at("/document/mrz/td1/checkDigitsValidity/dateOfBirthCheckDigitValid").asBoolean()).isFalse();
            assertThat(customer.at("/document/mrz/td1/checkDigitsValidity/dateOfExpiryCheckDigitValid").asBoolean()).isTrue();
            assertThat(forged.get("expired").asBoolean()).as("expired 2024-01-01").isTrue();
            assertThat(forged.at("/mrzInspection/valid").asBoolean()).isFalse();
            viz = forged.get("visualZoneInspection");
            assertThat(viz.at("/textConsistency/consistent").asBoolean()).isFalse();
            assertThat(viz.at("/textConsistency/consistencyWith/mrz/inconsistentTexts")).extracting(JsonNode::asText).containsExactly("documentNumber");
            // an adult's portrait on a document of a child born in 2019 (at most 6 when the page was issued, 7 today)
            int portraitAge = forged.at("/portraitInspection/ageEstimate").asInt();
            int difference = forged.at("/portraitInspection/ageDifferenceWith/dateOfBirth").asInt();
            assertThat(portraitAge).isGreaterThan(25);
            assertThat(difference).isGreaterThan(DisDocumentInspection.AGE_TOLERANCE_YEARS).isBetween(portraitAge - 9, portraitAge - 6);

            // the customer inspection: the selfie (the portrait's photo) against the date of birth and the MRZ's sex
            selfie(stage, id, Photos.bytes(Photos.MAN_B));
            JsonNode selfieInspection = inspect(stage, DisContract.CUSTOMER_INSPECT, id).get("selfieInspection");
            System.out.println("customer inspection: " + selfieInspection);
            int selfieAge = selfieInspection.get("ageEstimate").asInt();
            assertThat(selfieInspection.at("/ageDifferenceWith/dateOfBirth").asInt()).isBetween(selfieAge - 9, selfieAge - 6);
            assertThat(selfieInspection.at("/ageDifferenceWith").has("documentPortrait")).as("needs the date of issue").isFalse();
            assertThat(selfieInspection.at("/genderConsistency/mrz").asBoolean())
                    .isEqualTo("M".equals(selfieInspection.get("genderEstimate").asText()));
            assertThat(selfieInspection.at("/genderConsistency").has("viz")).isFalse();
        }
    }

    static DisDocumentPage page(DisCustomerTopologyTest.Stage stage, String id, String type) {
        return stage.customers().get(id).getDocument().getPages().stream().filter(p -> p.getPageType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void signatureGhostPortraitAndFingerprintAreNotLocated() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            ResultEvent early = stage.customer(DisContract.DOCUMENT_CROP, id, null, attrs(DisContract.CROP, "signature"), Map.of());
            assertThat(code(early)).isEqualTo("NOT_FOUND");
            assertThat(early.getError().getMessage()).contains("Document");
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, card)));
            for (String crop : DisContract.CROPS) {
                ResultEvent answer = stage.customer(DisContract.DOCUMENT_CROP, id, null, attrs(DisContract.CROP, crop), Map.of());
                assertThat(code(answer)).isEqualTo("NOT_FOUND");
                assertThat(answer.getError().getStatus()).isEqualTo(404);
                assertThat(answer.getError().getMessage()).contains("layout template");
            }
        }
    }
}
