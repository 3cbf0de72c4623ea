package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.gateway.dis.DisClient;
import io.openbio.testkit.AamvaCards;
import io.openbio.testkit.TestChips;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.testkit.IdCards;
import io.openbio.testkit.MrzCardPhotos;
import io.openbio.testkit.MrzDocuments;
import io.openbio.testkit.Photos;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DIS customer's document (seed 004) over real HTTP, the embedded broker and the real dis-customers stage with
 * the page analyzer and face models, API keys on. Every answer is validated against {@code dis-1.52.0-openapi.json}
 * ({@link DisClient#expect}): the integrator's document flow (PUT document, PUT pages front, GET customer, GET
 * portrait), the page's normalised image and quality, and the error cases (a page before the document, a bad page
 * type, no card, an unreadable image, a width out of range).
 *
 * <p>Photos: the testkit's synthetic ID card ({@link IdCards}, a card on a dark desk with {@code man_a.jpg} as its
 * portrait, or blank), {@code man_a.jpg} (no card).
 */
class DisDocumentIntegrationTest {
    static final String KEY = "dis-doc-key";
    static DisClient dis;
    static byte[] card;
    static byte[] blankCard;
    static byte[] noCard;

    @BeforeAll
    static void up() throws Exception {
        WiredPlatform platform = WiredPlatform.get();
        int gateway = platform.gateway("gw-dis-documents", "openbio.security.api-keys=dis:USER:" + ApiKeys.sha256(KEY));
        dis = new DisClient(gateway, KEY);
        card = IdCards.withPortrait(Photos.MAN_A);
        blankCard = IdCards.blank();
        noCard = Photos.bytes(Photos.MAN_A);
    }

    static String page(byte[] image, String pageType) {
        String advice = pageType == null ? "" : ",\"advice\":{\"classification\":{\"pageTypes\":[\"" + pageType + "\"]}}";
        return "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(image) + "\"}" + advice + "}";
    }

    /** The integrator's flow: create customer, PUT document, PUT pages front, GET customer, GET portrait. */
    @Test
    void documentFlow() {
        String id = DisCustomerIntegrationTest.customer(dis);
        String document = "/api/v1/customers/" + id + "/document";
        // a page before the document: 404 NOT_FOUND
        assertThat(dis.putJson(document + "/pages", page(card, "front")).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        JsonNode created = dis.putJson(document, "{\"advice\":{\"classification\":{\"types\":[\"identity-card\"],\"countries\":[\"CZE\"]}},"
                + "\"sources\":[\"VIZ\",\"MRZ\",\"DOCUMENT_PORTRAIT\"]}").expect(200).json();
        assertThat(created.at("/links/self").asText()).isEqualTo(document);

        JsonNode front = dis.putJson(document + "/pages", page(card, "front")).expect(200).json();
        assertThat(front.has("errorCode")).as(front.toString()).isFalse();
        assertThat(front.has("warnings")).isFalse();
        assertThat(front.get("pageType").asText()).isEqualTo("front");
        assertThat(front.at("/detection/confidence").asDouble()).isBetween(0.7, 1.0);
        assertThat(front.at("/detection/cornerOutOfImage").asBoolean()).isFalse();
        assertThat(front.at("/detection/coordinates/bottomRightCorner/x").asInt())
                .isGreaterThan(front.at("/detection/coordinates/topLeftCorner/x").asInt());
        assertThat(front.at("/documentType/type").asText()).isEqualTo("identity-card");
        assertThat(front.at("/documentType/country").asText()).isEqualTo("cze");
        assertThat(front.at("/documentType/supportLevel").asText()).isEqualTo("NOT_SUPPORTED");
        assertThat(front.at("/links/self").asText()).isEqualTo(document + "/pages/front");

        JsonNode customer = dis.get("/api/v1/customers/" + id).expect(200).json().at("/customer/document");
        assertThat(customer.get("pageTypes").toString()).isEqualTo("[\"front\"]");
        // a page without an MRZ: no MRZ object, no MRZ values; the type is the advice's
        assertThat(customer.has("mrz")).isFalse();
        assertThat(customer.has("documentNumber")).isFalse();
        assertThat(customer.at("/type/supportLevel").asText()).isEqualTo("NOT_SUPPORTED");
        assertThat(dis.get("/api/v1/customers/" + id).expect(200).json().at("/customer").has("surname")).isFalse();
        assertThat(customer.at("/links/pages/front").asText()).isEqualTo(document + "/pages/front");
        assertThat(customer.at("/links/portrait").asText()).isEqualTo(document + "/portrait");
        byte[] portrait = Base64.getDecoder().decode(dis.get(document + "/portrait").expect(200).json().get("data").asText());
        assertThat(portrait[0] & 0xFF).isEqualTo(0xFF);
        assertThat(portrait[1] & 0xFF).isEqualTo(0xD8);

        // the normalised page, resized to fit inside 300x300; its quality
        byte[] small = Base64.getDecoder().decode(dis.get(document + "/pages/front?width=300&height=300").expect(200).json().get("data").asText());
        assertThat(small[0] & 0xFF).isEqualTo(0xFF);
        assertThat(dis.get(document + "/pages/front?width=0").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_PARAMETER");
        JsonNode quality = dis.get(document + "/pages/front/quality").expect(200).json();
        assertThat(quality.at("/details/sharpness/level").asText()).isIn("LOW", "MEDIUM", "HIGH");
        assertThat(dis.get(document + "/pages/back").expect(404).errorCode()).isEqualTo("NOT_FOUND");

        // the back as octet-stream (no advice: the page not uploaded yet); a blank card has no portrait
        assertThat(dis.putBytes(document + "/pages", blankCard).expect(200).json().get("pageType").asText()).isEqualTo("back");
        assertThat(dis.get("/api/v1/customers/" + id).expect(200).json().at("/customer/document/pageTypes").toString())
                .isEqualTo("[\"front\",\"back\"]");

        // a second PUT document replaces it: no pages, no portrait
        dis.putJson(document, "{\"advice\":{\"classification\":{\"types\":[\"passport\"]}}}").expect(200);
        assertThat(dis.get(document + "/portrait").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.get("/api/v1/customers/" + id).expect(200).json().at("/customer/document/pageTypes").size()).isZero();
        // DELETE document: 204, idempotent; then pages are 404 again
        dis.delete(document).expect(204);
        dis.delete(document).expect(204);
        assertThat(dis.putJson(document + "/pages", page(card, "front")).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.delete("/api/v1/customers/" + id).expect(204);
    }

    /**
     * A SYNTHETIC TD1 card (testkit {@link MrzDocuments}, OCR-B MRZ, printed fields) photographed on a desk: the page is
     * read (MRZ, barcodes, visual zone), the document classified by its MRZ, and GET customer answers the MRZ object with
     * its check digits, the personal and document fields by source; GET /metadata lists what is read.
     */
    @Test
    void aTd1PageIsReadAndAnsweredWithTheCustomer() {
        String id = DisCustomerIntegrationTest.customer(dis);
        String document = "/api/v1/customers/" + id + "/document";
        dis.putJson(document, "{}").expect(200);
        MrzDocuments.Holder holder = new MrzDocuments.Holder("ID", "CZE", "SVOBODOVA", "EVA MARIA", "HK4726190", "CZE", "850317", "F",
                "310911", "");
        byte[] photo = MrzCardPhotos.onDesk(MrzDocuments.Layout.TD1, holder, Photos.bytes(Photos.MAN_B), 1000);
        long start = System.nanoTime();
        JsonNode front = dis.putJson(document + "/pages", page(photo, "front")).expect(200).json();
        System.out.printf("PUT pages (TD1, all sources) over HTTP: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(front.has("errorCode")).as(front.toString()).isFalse();
        assertThat(front.has("warnings")).isFalse();
        assertThat(front.at("/documentType/type").asText()).isEqualTo("identity-card");
        assertThat(front.at("/documentType/country").asText()).isEqualTo("cze");
        assertThat(front.at("/documentType/machineReadableTravelDocument").asText()).isEqualTo("TD1");
        assertThat(front.at("/documentType/supportLevel").asText()).isEqualTo("MRZ_EXTRACTION_ONLY");

        JsonNode customer = dis.get("/api/v1/customers/" + id).expect(200).json().get("customer");
        JsonNode mrz = customer.at("/document/mrz/td1");
        assertThat(mrz.get("documentNumber").asText()).isEqualTo("HK4726190");
        assertThat(mrz.get("surname").asText()).isEqualTo("SVOBODOVA");
        assertThat(mrz.get("givenNames").asText()).isEqualTo("EVA MARIA");
        assertThat(mrz.get("dateOfBirth").asText()).isEqualTo("850317");
        assertThat(mrz.get("dateOfExpiry").asText()).isEqualTo("310911");
        for (String digit : new String[] {"documentNumber", "dateOfBirth", "dateOfExpiry", "composite"}) {
            assertThat(mrz.at("/checkDigitsValidity/" + digit + "CheckDigitValid").asBoolean()).as(digit).isTrue();
        }
        assertThat(customer.at("/document/documentNumber/mrz").asText()).isEqualTo("HK4726190");
        assertThat(customer.at("/document/dateOfExpiry/mrz").asText()).isEqualTo("2031-09-11");
        assertThat(customer.at("/surname/mrz").asText()).isEqualTo("SVOBODOVA");
        assertThat(customer.at("/givenNames/mrz").asText()).isEqualTo("EVA MARIA");
        assertThat(customer.at("/dateOfBirth/mrz").asText()).isEqualTo("1985-03-17");
        assertThat(customer.at("/gender/mrz").asText()).isEqualTo("F");
        // printed on the card and confirmed by the OCR of its visual zone
        assertThat(customer.at("/surname/visualZone").asText()).isEqualTo("SVOBODOVA");
        assertThat(customer.at("/dateOfBirth/visualZone").asText()).isEqualTo("1985-03-17");

        JsonNode metadata = dis.get("/api/v1/metadata").expect(200).json();
        assertThat(metadata.at("/documents/1/documentType/machineReadableTravelDocument").asText()).isEqualTo("TD1");
        dis.delete("/api/v1/customers/" + id).expect(204);
    }

    /**
     * A SYNTHETIC US driver's licence (testkit {@link AamvaCards}): the back's AAMVA PDF417 gives the {@code barcode}
     * values of GET customer (validated against the reference like every answer), the inspection compares the front's
     * visual zone with them.
     */
    @Test
    void anAamvaBarcodeFillsTheBarcodeValues() {
        String id = DisCustomerIntegrationTest.customer(dis);
        String document = "/api/v1/customers/" + id + "/document";
        dis.putJson(document, "{\"sources\":[\"VIZ\",\"BARCODE\"]}").expect(200);
        assertThat(dis.putJson(document + "/pages", page(AamvaCards.front("SAMPLE"), "front")).expect(200).json().has("errorCode")).isFalse();
        assertThat(dis.putJson(document + "/pages", page(AamvaCards.back(AamvaCards.content("SAMPLE")), "back")).expect(200).json()
                .has("errorCode")).isFalse();
        JsonNode customer = dis.get("/api/v1/customers/" + id).expect(200).json().get("customer");
        assertThat(customer.at("/surname/barcode").asText()).isEqualTo("SAMPLE");
        assertThat(customer.at("/givenNames/barcode").asText()).isEqualTo("MICHAEL JOHN");
        assertThat(customer.at("/dateOfBirth/barcode").asText()).isEqualTo("1986-01-31");
        assertThat(customer.at("/document/documentNumber/barcode").asText()).isEqualTo("T64235789");
        assertThat(customer.at("/document/dateOfIssue/barcode").asText()).isEqualTo("2019-06-06");
        assertThat(customer.at("/document/additionalTexts/addressCity/barcode").asText()).isEqualTo("RICHMOND");
        assertThat(customer.at("/surname/visualZone").asText()).isEqualTo("SAMPLE");
        JsonNode inspection = dis.post(document + "/inspect").expect(200).json();
        assertThat(inspection.get("expired").asBoolean()).isTrue();
        assertThat(inspection.at("/visualZoneInspection/textConsistency/consistent").asBoolean()).isTrue();
        assertThat(inspection.at("/visualZoneInspection/textConsistency/consistencyWith/barcodes/inconsistentTexts").isArray()).isTrue();
        dis.delete("/api/v1/customers/" + id).expect(204);
    }

    @Test
    void pageErrors() {
        String id = DisCustomerIntegrationTest.customer(dis);
        String document = "/api/v1/customers/" + id + "/document";
        dis.putJson(document, "{}").expect(200);
        assertThat(dis.putJson(document + "/pages", page(card, "side")).expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.putJson(document + "/pages", "{\"image\":").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.putBytes(document + "/pages", "not an image".getBytes()).expect(400).errorCode()).isEqualTo("INVALID_IMAGE");
        assertThat(dis.putJson(document, "{\"sources\":[\"FACE\"]}").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        // no card on the photo: 200 with the errorCode, nothing kept
        JsonNode none = dis.putJson(document + "/pages", page(noCard, "front")).expect(200).json();
        assertThat(none.get("errorCode").asText()).isEqualTo("NO_CARD_CORNERS_DETECTED");
        assertThat(dis.get(document + "/pages/front").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        // no advice on the document: the page warns that the type is not recognized
        JsonNode unadvised = dis.putJson(document + "/pages", page(card, null)).expect(200).json();
        assertThat(unadvised.get("warnings").toString()).isEqualTo("[\"DOCUMENT_TYPE_NOT_RECOGNIZED\"]");
        // an unknown customer
        assertThat(dis.putJson("/api/v1/customers/" + UUID.randomUUID() + "/document", "{}").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.get("/api/v1/customers/not-a-uuid/document/portrait").expect(400).errorCode()).isEqualTo("INVALID_ID");
        dis.delete("/api/v1/customers/" + id).expect(204);
    }

    /** The NFC chip: challenge, the LDS files the test built and signed, the raw data and DG2's portrait back. */
    @Test
    void chip() throws Exception {
        String id = DisCustomerIntegrationTest.customer(dis);
        String document = "/api/v1/customers/" + id + "/document";
        byte[] lds = new TestChips("UT").genuine();
        assertThat(dis.putBytes(document + "/chip/data", lds).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.put(document).expect(200);
        byte[] challenge = Base64.getDecoder().decode(dis.put(document + "/chip/challenge").expect(200).json().get("challenge").asText());
        assertThat(challenge).hasSize(8);
        JsonNode kept = dis.putBytes(document + "/chip/data", lds).expect(200).json();
        assertThat(kept.has("errorCode")).isFalse();
        assertThat(kept.at("/links/self").asText()).isEqualTo(document + "/chip/data");
        assertThat(Base64.getDecoder().decode(dis.get(document + "/chip/data").expect(200).json().get("data").asText())).isEqualTo(lds);
        assertThat(Base64.getDecoder().decode(dis.get(document + "/chip/portrait").expect(200).json().get("data").asText()))
                .isEqualTo(TestChips.portraitJpeg());
        assertThat(dis.get("/api/v1/customers/" + id).expect(200).json().at("/customer/document/links/chipPortrait").asText())
                .isEqualTo(document + "/chip/portrait");
        assertThat(dis.putBytes(document + "/chip/data", "not a chip".getBytes()).expect(200).errorCode()).isEqualTo("LDS_PARSE_ERROR");
        dis.delete(document).expect(204);
        assertThat(dis.get(document + "/chip/portrait").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.delete("/api/v1/customers/" + id).expect(204);
    }
}
