package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.gateway.dis.DisClient;
import io.openbio.testkit.TestChips;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.testkit.IdCards;
import io.openbio.testkit.MrzCardPhotos;
import io.openbio.testkit.MrzDocuments;
import io.openbio.testkit.Photos;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DIS inspections (seed 004) over real HTTP, the embedded broker and the real dis-customers stage with the face
 * models and the document checks, API keys on; every answer validated against {@code dis-1.52.0-openapi.json}
 * ({@link DisClient#expect}). The integrator's flow: customer, selfie, document, a page whose card carries another
 * photo of the selfie's person, inspect (documentPortrait true) and disclose; the chip (DG2: another man, chipPortrait
 * false); the document inspection and its disclose; the crops that are not located (404); the errors.
 *
 * <p>Photos: two panels of {@code same_man_x3.jpg} (one man), one as the selfie, one on the testkit's synthetic ID
 * card ({@link IdCards}); the chip's DG2 is {@code man_a.jpg} ({@link TestChips}).
 */
class DisInspectionIntegrationTest {
    static final String KEY = "dis-inspect-key";
    static DisClient dis;
    static byte[] selfie;
    static byte[] card;

    @BeforeAll
    static void up() throws Exception {
        WiredPlatform platform = WiredPlatform.get();
        int gateway = platform.gateway("gw-dis-inspection", "openbio.security.api-keys=dis:USER:" + ApiKeys.sha256(KEY));
        dis = new DisClient(gateway, KEY);
        selfie = Photos.panel(Photos.SAME_MAN_X3, 1, 3);
        card = IdCards.withPortrait(Photos.panel(Photos.SAME_MAN_X3, 0, 3));
    }

    @Test
    void integratorFlow() throws Exception {
        String id = DisCustomerIntegrationTest.customer(dis);
        String customer = "/api/v1/customers/" + id;
        String document = customer + "/document";
        dis.putJson(customer + "/selfie", DisCustomerIntegrationTest.imageJson(selfie)).expect(200);
        // before the document: no document comparison; the document inspection is 404
        assertThat(dis.post(customer + "/inspect").expect(200).json().at("/selfieInspection").has("similarityWith")).isFalse();
        assertThat(dis.post(document + "/inspect").expect(404).errorCode()).isEqualTo("NOT_FOUND");

        dis.putJson(document, "{\"advice\":{\"classification\":{\"types\":[\"identity-card\"],\"countries\":[\"CZE\"]}}}").expect(200);
        JsonNode front = dis.putJson(document + "/pages", DisDocumentIntegrationTest.page(card, "front")).expect(200).json();
        assertThat(front.has("errorCode")).as(front.toString()).isFalse();
        JsonNode inspection = dis.post(customer + "/inspect").expect(200).json();
        assertThat(inspection.at("/selfieInspection/similarityWith/documentPortrait").asBoolean()).as(inspection.toString()).isTrue();
        assertThat(inspection.at("/selfieInspection/genderConsistency").has("documentPortrait")).isTrue();
        JsonNode disclose = dis.post(customer + "/inspect/disclose").expect(200).json();
        assertThat(disclose.at("/selfieInspection/similarityWith/documentPortrait/score").asDouble()).isBetween(0.5, 1.0);

        // the chip: another man's portrait
        dis.putBytes(document + "/chip/data", new TestChips("UT").genuine()).expect(200);
        JsonNode withChip = dis.post(customer + "/inspect").expect(200).json();
        assertThat(withChip.at("/selfieInspection/similarityWith/chipPortrait").asBoolean()).as(withChip.toString()).isFalse();
        assertThat(withChip.at("/selfieInspection/similarityWith/documentPortrait").asBoolean()).isTrue();

        // the document inspection: what was measured without the document's text
        JsonNode documentInspection = dis.post(document + "/inspect").expect(200).json();
        assertThat(documentInspection.at("/portraitInspection/genderEstimate").asText()).isIn("M", "F");
        assertThat(documentInspection.at("/portraitInspection/ageEstimate").asInt()).isBetween(15, 80);
        assertThat(documentInspection.at("/pageTampering/front").has("looksLikeScreenshot")).as(documentInspection.toString()).isTrue();
        assertThat(documentInspection.at("/pageTampering/front").has("looksLikePrintCopy")).isTrue();
        assertThat(documentInspection.at("/chipInspection/dataAuthentication").asText()).isEqualTo("AUTHORITY_CERTIFICATES_NOT_PROVIDED");
        // this card has no MRZ and its printed text spells no value read elsewhere; the chip's DG1 gives the expiry (2034)
        for (String absent : List.of("mrzInspection", "visualZoneInspection")) {
            assertThat(documentInspection.has(absent)).as(absent).isFalse();
        }
        assertThat(documentInspection.get("expired").asBoolean()).isFalse();
        JsonNode scores = dis.post(document + "/inspect/disclose").expect(200).json().at("/pageTampering/front");
        double screen = scores.at("/looksLikeScreenshot/score").asDouble();
        assertThat(screen).isBetween(0.0, 1.0);
        assertThat(documentInspection.at("/pageTampering/front/looksLikeScreenshot").asBoolean()).isEqualTo(screen < 0.5);
        assertThat(scores.at("/presentationAttackScreenClass/score").asDouble()).isCloseTo(1 - screen, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(scores.has("documentPortraitGenuine")).isTrue();

        // signature, ghost portrait, fingerprint: never located here
        for (String crop : List.of("signature", "ghost-portrait", "fingerprint")) {
            DisClient.Call answer = dis.get(document + "/" + crop + "?width=200").expect(404);
            assertThat(answer.errorCode()).isEqualTo("NOT_FOUND");
            assertThat(answer.json().get("errorMessage").asText()).contains("layout template");
        }
        assertThat(dis.get(document + "/signature?width=0").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_PARAMETER");
        dis.delete(customer).expect(204);
    }

    /**
     * The inspection of the document's text on a SYNTHETIC TD1 card (testkit {@link MrzDocuments}): expired (2024-01-01),
     * the date of birth's check digit broken, the document number printed one digit off the MRZ's, born in 2019 with
     * an adult's portrait ({@code man_b.jpg}, also the selfie).
     */
    @Test
    void theDocumentsTextIsInspected() throws Exception {
        String id = DisCustomerIntegrationTest.customer(dis);
        String customer = "/api/v1/customers/" + id;
        String document = customer + "/document";
        byte[] man = Photos.bytes(Photos.MAN_B);
        dis.putJson(customer + "/selfie", DisCustomerIntegrationTest.imageJson(man)).expect(200);
        dis.putJson(document, "{}").expect(200);
        MrzDocuments.Holder holder = new MrzDocuments.Holder("ID", "CZE", "DVORAK", "PETR", "HK4726190", "CZE", "190304", "M", "240101", "");
        List<String> mrz = new java.util.ArrayList<>(MrzDocuments.mrz(MrzDocuments.Layout.TD1, holder));
        char cd = mrz.get(1).charAt(6);
        mrz.set(1, mrz.get(1).substring(0, 6) + (char) ('0' + (cd - '0' + 1) % 10) + mrz.get(1).substring(7));
        MrzDocuments.Holder printed = new MrzDocuments.Holder("ID", "CZE", "DVORAK", "PETR", "HK4726198", "CZE", "190304", "M", "240101", "");
        byte[] page = MrzCardPhotos.onDesk(MrzDocuments.page(MrzDocuments.Layout.TD1, printed, mrz, man, MrzDocuments.ocrB(), 1000));
        JsonNode front = dis.putBytes(document + "/pages", page).expect(200).json();
        assertThat(front.has("errorCode")).as(front.toString()).isFalse();

        JsonNode inspection = dis.post(document + "/inspect").expect(200).json();
        assertThat(inspection.get("expired").asBoolean()).as(inspection.toString()).isTrue();
        assertThat(inspection.at("/mrzInspection/valid").asBoolean()).isFalse();
        assertThat(inspection.at("/visualZoneInspection/ocrConfidence/confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(inspection.at("/visualZoneInspection/textConsistency/consistent").asBoolean()).isFalse();
        assertThat(inspection.at("/visualZoneInspection/textConsistency/consistencyWith/mrz/inconsistentTexts"))
                .extracting(JsonNode::asText).containsExactly("documentNumber");
        assertThat(inspection.at("/portraitInspection/ageDifferenceWith/dateOfBirth").asInt()).isGreaterThan(15);
        assertThat(inspection.at("/portraitInspection/genderConsistency/mrz").asBoolean())
                .isEqualTo("M".equals(inspection.at("/portraitInspection/genderEstimate").asText()));
        assertThat(dis.post(document + "/inspect/disclose").expect(200).json().fieldNames()).toIterable().containsOnly("pageTampering");

        JsonNode selfieInspection = dis.post(customer + "/inspect").expect(200).json().get("selfieInspection");
        assertThat(selfieInspection.at("/ageDifferenceWith/dateOfBirth").asInt())
                .isBetween(selfieInspection.get("ageEstimate").asInt() - 9, selfieInspection.get("ageEstimate").asInt() - 6);
        assertThat(selfieInspection.at("/genderConsistency/mrz").asBoolean()).isEqualTo("M".equals(selfieInspection.get("genderEstimate").asText()));
        dis.delete(customer).expect(204);
    }

    @Test
    void errors() {
        String unknown = "/api/v1/customers/" + UUID.randomUUID();
        assertThat(dis.post(unknown + "/document/inspect").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.post(unknown + "/document/inspect/disclose").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.get(unknown + "/document/ghost-portrait").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.post("/api/v1/customers/not-a-uuid/document/inspect").expect(400).errorCode()).isEqualTo("INVALID_ID");
        // a customer without a document
        String id = DisCustomerIntegrationTest.customer(dis);
        assertThat(dis.post("/api/v1/customers/" + id + "/document/inspect/disclose").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.get("/api/v1/customers/" + id + "/document/fingerprint").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        // a customer without a selfie: no selfie inspection, an empty disclose
        assertThat(dis.post("/api/v1/customers/" + id + "/inspect").expect(200).json().has("selfieInspection")).isFalse();
        assertThat(dis.post("/api/v1/customers/" + id + "/inspect/disclose").expect(200).json().isEmpty()).isTrue();
        dis.delete("/api/v1/customers/" + id).expect(204);
    }
}
