package io.openbio.processors.dis.customer;

import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.body;
import static io.openbio.processors.dis.customer.DisDocumentTopologyTest.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.schemas.contract.DisContract;
import io.openbio.testkit.IdCards;
import io.openbio.testkit.MrzCardPhotos;
import io.openbio.testkit.MrzDocuments;
import io.openbio.testkit.Photos;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import io.openbio.testkit.TestChips;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The document reading of the dis-customers stage (PUT document/pages reads the page, GET customer answers what was
 * read) on TopologyTestDriver with the real page analyzer, Tesseract and ZXing, on SYNTHETIC documents (testkit
 * {@link MrzDocuments}: OCR-B MRZ, printed fields, a real portrait) photographed on a desk ({@link MrzCardPhotos}):
 * the MRZ fields with their check digits, the classification from the MRZ, visual-zone values confirmed by the OCR,
 * the sources (MRZ only: no visual zone; DOCUMENT_PORTRAIT only: nothing read), a page without MRZ, the chip's DG1
 * values, and the reading kept sealed.
 */
class DisDocumentReadingTopologyTest {
    /** A Czech ID card (TD1); its printed fields are what {@link MrzDocuments#printedValues} lists. */
    static final MrzDocuments.Holder TD1 = new MrzDocuments.Holder("ID", "CZE", "SVOBODOVA", "EVA MARIA", "HK4726190", "CZE",
            "850317", "F", "310911", "");
    /** A passport (TD3) of the ICAO specimen state Utopia (no ISO 3166 code: no country is answered). */
    static final MrzDocuments.Holder TD3 = new MrzDocuments.Holder("P", "UTO", "DVORAK", "PETR", "XK3857264", "UTO",
            "620105", "M", "290420", "7201054321");
    static byte[] td1;
    static byte[] td3;

    @BeforeAll
    static void photos() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        td1 = MrzCardPhotos.onDesk(MrzDocuments.Layout.TD1, TD1, Photos.bytes(Photos.MAN_B), 1000);
        td3 = MrzCardPhotos.onDesk(MrzDocuments.Layout.TD3, TD3, Photos.bytes(Photos.MAN_A), 1400);
    }

    @Test
    void aTd1PageIsReadClassifiedAndAnsweredWithTheCustomer() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            long start = System.nanoTime();
            JsonNode page = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, td1)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("PUT pages (TD1, all sources) took %d ms in the topology test%n", millis);
            assertThat(page.has("errorCode")).as(page.toString()).isFalse();
            // classified by the MRZ: no advice was given, and no warning
            assertThat(page.at("/documentType/type").asText()).isEqualTo("identity-card");
            assertThat(page.at("/documentType/country").asText()).isEqualTo("cze");
            assertThat(page.at("/documentType/machineReadableTravelDocument").asText()).isEqualTo("TD1");
            assertThat(page.at("/documentType/supportLevel").asText()).isEqualTo("MRZ_EXTRACTION_ONLY");
            assertThat(page.has("warnings")).isFalse();

            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            JsonNode document = customer.get("document");
            JsonNode mrz = document.at("/mrz/td1");
            assertThat(mrz.get("documentCode").asText()).isEqualTo("ID");
            assertThat(mrz.get("documentNumber").asText()).isEqualTo("HK4726190");
            assertThat(mrz.get("surname").asText()).isEqualTo("SVOBODOVA");
            assertThat(mrz.get("givenNames").asText()).isEqualTo("EVA MARIA");
            assertThat(mrz.get("dateOfBirth").asText()).isEqualTo("850317");
            assertThat(mrz.get("dateOfExpiry").asText()).isEqualTo("310911");
            assertThat(mrz.get("gender").asText()).isEqualTo("F");
            assertThat(mrz.at("/checkDigitsValidity").toString()).isEqualTo("{\"documentNumberCheckDigitValid\":true,"
                    + "\"dateOfBirthCheckDigitValid\":true,\"dateOfExpiryCheckDigitValid\":true,\"compositeCheckDigitValid\":true}");
            assertThat(document.has("td2")).isFalse();
            assertThat(document.at("/type/supportLevel").asText()).isEqualTo("MRZ_EXTRACTION_ONLY");
            assertThat(document.at("/documentNumber/mrz").asText()).isEqualTo("HK4726190");
            assertThat(document.at("/dateOfExpiry/mrz").asText()).isEqualTo("2031-09-11");
            assertThat(document.at("/issuingAuthority/mrz").asText()).isEqualTo("CZE");
            assertThat(customer.at("/surname/mrz").asText()).isEqualTo("SVOBODOVA");
            assertThat(customer.at("/givenNames/mrz").asText()).isEqualTo("EVA MARIA");
            assertThat(customer.at("/dateOfBirth/mrz").asText()).isEqualTo("1985-03-17");
            assertThat(customer.at("/nationality/mrz").asText()).isEqualTo("CZE");
            assertThat(customer.at("/gender/mrz").asText()).isEqualTo("F");
            assertThat(customer.at("/age/mrz").asInt()).isBetween(40, 42);
            // the visual zone: values the OCR of the printed fields confirms (printed 17.03.1985, 11.09.2031)
            assertThat(customer.at("/surname/visualZone").asText()).isEqualTo("SVOBODOVA");
            assertThat(document.at("/documentNumber/visualZone").asText()).isEqualTo("HK4726190");
            assertThat(customer.at("/dateOfBirth/visualZone").asText()).isEqualTo("1985-03-17");
            assertThat(document.at("/dateOfExpiry/visualZone").asText()).isEqualTo("2031-09-11");
            // no chip, no barcode on this card
            assertThat(customer.at("/surname").has("chip")).isFalse();
            assertThat(document.has("barcodes")).isFalse();

            // kept sealed: the stored reading does not hold the names or the number in clear
            byte[] stored = stage.parts().get(CustomerParts.key(id, CustomerParts.pageReading("front")));
            assertThat(stored).isNotNull();
            String clear = new String(stored, StandardCharsets.ISO_8859_1);
            assertThat(clear).doesNotContain("SVOBODOVA").doesNotContain("HK4726190");
            DisPageReading.Page reading = DisPageReading.decode(new CustomerParts(stage.parts())
                    .get(stage.customers().get(id), id, CustomerParts.pageReading("front")));
            assertThat(reading.mrz().status()).isEqualTo("VALID");
            assertThat(reading.text().lines()).isNotEmpty().allSatisfy(l -> assertThat(l.text()).doesNotContain("<<"));
            assertThat(reading.text().confidence()).isBetween(0.0, 1.0);
            System.out.printf("of which the reading (MRZ, barcodes, visual-zone OCR) %d ms%n", reading.millis());
            // a new PUT document drops the reading with the pages
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            assertThat(stage.parts().get(CustomerParts.key(id, CustomerParts.pageReading("front")))).isNull();
            assertThat(body(stage.customer(DisContract.CUSTOMER_GET, id)).at("/customer").has("surname")).isFalse();
        }
    }

    @Test
    void sourcesChooseWhatIsRead() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            // MRZ only: the MRZ fields, no visual zone (the page's text is not read)
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_SOURCES, "MRZ"), Map.of()));
            JsonNode page = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, td3)));
            assertThat(page.at("/documentType/type").asText()).isEqualTo("passport");
            assertThat(page.at("/documentType/machineReadableTravelDocument").asText()).isEqualTo("TD3");
            assertThat(page.at("/documentType").has("country")).as("UTO is no ISO 3166 country").isFalse();
            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            assertThat(customer.at("/document/mrz/td3/documentNumber").asText()).isEqualTo("XK3857264");
            assertThat(customer.at("/document/mrz/td3/personalNumberOrOptionalDataSecondLine").asText()).isEqualTo("7201054321");
            assertThat(customer.at("/document/mrz/td3/checkDigitsValidity/personalNumberCheckDigitValid").asBoolean()).isTrue();
            assertThat(customer.at("/personalNumber/mrz").asText()).isEqualTo("7201054321");
            assertThat(customer.at("/surname/mrz").asText()).isEqualTo("DVORAK");
            assertThat(customer.at("/surname").has("visualZone")).isFalse();
            assertThat(customer.at("/dateOfBirth/mrz").asText()).isEqualTo("1962-01-05");

            // DOCUMENT_PORTRAIT only: nothing is read; the advice answers, NOT_SUPPORTED
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_SOURCES, "DOCUMENT_PORTRAIT",
                    DisContract.DOCUMENT_TYPES, "passport"), Map.of()));
            page = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"), Map.of(DisContract.IMAGE_PART, td3)));
            assertThat(page.at("/documentType/supportLevel").asText()).isEqualTo("NOT_SUPPORTED");
            assertThat(stage.parts().get(CustomerParts.key(id, CustomerParts.pageReading("front")))).isNull();
            customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            assertThat(customer.has("surname")).isFalse();
            assertThat(customer.at("/document").has("mrz")).isFalse();
        }
    }

    /** A QR code holding the document's MRZ, drawn in the page's top-right corner (some ID cards carry one). */
    static byte[] withMrzQrCode(MrzDocuments.Layout layout, MrzDocuments.Holder holder) throws Exception {
        BufferedImage page = MrzDocuments.page(layout, holder, Photos.bytes(Photos.MAN_A), MrzDocuments.ocrB(), 1400);
        BitMatrix qr = new QRCodeWriter().encode(String.join("\n", MrzDocuments.mrz(layout, holder)), BarcodeFormat.QR_CODE, 200, 200);
        Graphics2D g = page.createGraphics();
        int x0 = page.getWidth() - 215;
        for (int y = 0; y < qr.getHeight(); y++) {
            for (int x = 0; x < qr.getWidth(); x++) {
                g.setColor(qr.get(x, y) ? Color.BLACK : Color.WHITE);
                g.fillRect(x0 + x, 15 + y, 1, 1);
            }
        }
        g.dispose();
        return MrzCardPhotos.onDesk(page);
    }

    @Test
    void barcodesAreDecodedAndAnMrzInOneGivesTheBarcodeValues() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_SOURCES, "BARCODE",
                    DisContract.DOCUMENT_TYPES, "passport"), Map.of()));
            JsonNode page = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"),
                    Map.of(DisContract.IMAGE_PART, withMrzQrCode(MrzDocuments.Layout.TD3, TD3))));
            assertThat(page.has("errorCode")).as(page.toString()).isFalse();
            // a barcode does not classify: the advice answers
            assertThat(page.at("/documentType/supportLevel").asText()).isEqualTo("NOT_SUPPORTED");
            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            JsonNode qr = customer.at("/document/barcodes/front/qr_code");
            assertThat(qr.get("type").asText()).isEqualTo("qr_code");
            assertThat(new String(Base64.getDecoder().decode(qr.get("data").asText()), StandardCharsets.UTF_8))
                    .isEqualTo(String.join("\n", MrzDocuments.mrz(MrzDocuments.Layout.TD3, TD3)));
            assertThat(customer.at("/surname/barcode").asText()).isEqualTo("DVORAK");
            assertThat(customer.at("/dateOfBirth/barcode").asText()).isEqualTo("1962-01-05");
            assertThat(customer.at("/document/documentNumber/barcode").asText()).isEqualTo("XK3857264");
            // only the barcode was read: no MRZ, no visual zone
            assertThat(customer.at("/surname").has("mrz")).isFalse();
            assertThat(customer.at("/surname").has("visualZone")).isFalse();
            assertThat(customer.at("/document").has("mrz")).isFalse();
        }
    }

    @Test
    void aPageWithoutMrzLeavesTheMrzFieldsAbsentAndTheChipGivesDg1() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_TYPES, "identity-card"), Map.of()));
            JsonNode page = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"),
                    Map.of(DisContract.IMAGE_PART, IdCards.withPortrait(Photos.MAN_A))));
            assertThat(page.at("/documentType/supportLevel").asText()).isEqualTo("NOT_SUPPORTED");
            assertThat(page.at("/documentType/type").asText()).isEqualTo("identity-card");
            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            assertThat(customer.has("surname")).isFalse();
            assertThat(customer.has("dateOfBirth")).isFalse();
            assertThat(customer.get("document").has("mrz")).isFalse();
            assertThat(customer.get("document").has("documentNumber")).isFalse();

            // the chip's DG1 (ERIKSSON, ANNA MARIA, L898902C3, UTO): chip values, and a passport by DG1
            JsonNode kept = body(stage.customer(DisContract.CHIP_DATA_PUT, id, null, Map.of(),
                    Map.of(DisContract.CHIP_PART, new TestChips("UT").genuine())));
            assertThat(kept.has("errorCode")).isFalse();
            customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            assertThat(customer.at("/surname/chip").asText()).isEqualTo("ERIKSSON");
            assertThat(customer.at("/givenNames/chip").asText()).isEqualTo("ANNA MARIA");
            assertThat(customer.at("/dateOfBirth/chip").asText()).isEqualTo("1974-08-12");
            assertThat(customer.at("/gender/chip").asText()).isEqualTo("F");
            assertThat(customer.at("/surname").has("mrz")).isFalse();
            assertThat(customer.at("/document/documentNumber/chip").asText()).isEqualTo("L898902C3");
            assertThat(customer.at("/document/dateOfExpiry/chip").asText()).isEqualTo("2034-04-15");
            assertThat(customer.at("/document/type/type").asText()).isEqualTo("passport");
            assertThat(customer.at("/document/type/supportLevel").asText()).isEqualTo("MRZ_EXTRACTION_ONLY");
            assertThat(customer.at("/document").has("mrz")).as("the MRZ object is the page's").isFalse();
        }
    }
}
