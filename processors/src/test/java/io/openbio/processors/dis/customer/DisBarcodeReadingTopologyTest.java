package io.openbio.processors.dis.customer;

import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.body;
import static io.openbio.processors.dis.customer.DisDocumentTopologyTest.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.pdf417.PDF417Writer;
import io.openbio.schemas.contract.DisContract;
import io.openbio.testkit.MrzCardPhotos;
import io.openbio.testkit.Photos;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AAMVA PDF417 of a SYNTHETIC US driver's licence read by the dis-customers stage on TopologyTestDriver, with the
 * real page analyzer, Tesseract and ZXing: the back page carries a PDF417 written by ZXing's {@link PDF417Writer}
 * holding AAMVA DL content (the standard's 2020 example layout), the front page the printed fields (US dates, month
 * first). GET customer answers the {@code barcode} values, the inspection compares the visual zone with them, and the
 * reading stays sealed.
 */
class DisBarcodeReadingTopologyTest {
    /** AAMVA version 10 content in the layout of the standard's example (Annex D), with correct offsets. */
    static String aamva(String surname) {
        String subfile = "DLDAQT64235789\nDCS" + surname + "\nDDEN\nDACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCAD\nDCBK\nDCDPH\n"
                + "DBD06062019\nDBB01311986\nDBA12102024\nDBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\n"
                + "DAJVA\nDAK232690000  \nDCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDD1\r";
        return String.format("@\n\u001e\rANSI 636000100001DL%04d%04d", 31, subfile.length()) + subfile;
    }

    static byte[] back;

    @BeforeAll
    static void pages() throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        back = back(aamva("SAMPLE"));
    }

    /** An ID-1 card 1000 px wide with a PDF417 of {@code content} (as US licences carry it on the back), on a desk. */
    static byte[] back(String content) throws Exception {
        BufferedImage page = card();
        BitMatrix code = new PDF417Writer().encode(content, BarcodeFormat.PDF_417, 860, 300,
                Map.of(EncodeHintType.MARGIN, 10, EncodeHintType.ERROR_CORRECTION, 4));
        Graphics2D g = page.createGraphics();
        int x0 = (page.getWidth() - code.getWidth()) / 2;
        int y0 = (page.getHeight() - code.getHeight()) / 2;
        g.setColor(Color.WHITE);
        g.fillRect(x0, y0, code.getWidth(), code.getHeight());
        g.setColor(Color.BLACK);
        for (int y = 0; y < code.getHeight(); y++) {
            for (int x = 0; x < code.getWidth(); x++) {
                if (code.get(x, y)) {
                    g.fillRect(x0 + x, y0 + y, 1, 1);
                }
            }
        }
        g.dispose();
        return MrzCardPhotos.onDesk(page);
    }

    /** The front: title, portrait, the printed fields as a US licence prints them (dates MM/DD/YYYY). */
    static byte[] front(String surname) throws Exception {
        BufferedImage page = card();
        Graphics2D g = page.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(40, 60, 110));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 40));
        g.drawString("VIRGINIA  DRIVER'S LICENSE", 40, 70);
        BufferedImage photo = ImageIO.read(new ByteArrayInputStream(Photos.bytes(Photos.MAN_A)));
        int side = Math.min(photo.getWidth(), (int) (photo.getHeight() / 1.3));
        int sx = (photo.getWidth() - side) / 2;
        int sy = Math.max(0, (photo.getHeight() - (int) (side * 1.3)) / 2);
        g.drawImage(photo, 40, 110, 40 + 250, 110 + 325, sx, sy, sx + side, sy + (int) (side * 1.3), null);
        // a class row first: the first row under the title was misread whatever it held (DL NO. + T64235789 read as
        // one line "764235789" at 0.17; LAST NAME + SAMPLE not read), as Tesseract segments this synthetic layout
        String[][] fields = {{"CLASS", "D"}, {"LAST NAME", surname}, {"FIRST NAME", "MICHAEL JOHN"}, {"DOB", "01/31/1986"},
                {"EXP", "12/10/2024"}, {"DL NO.", "T64235789"}};
        int y = 130;
        for (String[] f : fields) {
            g.setColor(new Color(90, 90, 110));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
            g.drawString(f[0], 330, y);
            g.setColor(new Color(20, 20, 30));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
            g.drawString(f[1], 330, y + 34);
            y += 78;
        }
        g.dispose();
        return MrzCardPhotos.onDesk(page);
    }

    private static BufferedImage card() {
        BufferedImage page = new BufferedImage(1000, 631, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(new Color(236, 240, 230));
        g.fillRect(0, 0, page.getWidth(), page.getHeight());
        g.dispose();
        return page;
    }

    @Test
    void anAamvaPdf417FillsTheBarcodeValuesAndTheInspectionComparesThem() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_TYPES, "drivers-licence"), Map.of()));
            JsonNode page = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"),
                    Map.of(DisContract.IMAGE_PART, front("SAMPLE"))));
            assertThat(page.has("errorCode")).as(page.toString()).isFalse();
            page = body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "back"),
                    Map.of(DisContract.IMAGE_PART, back)));
            assertThat(page.has("errorCode")).as(page.toString()).isFalse();

            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            JsonNode document = customer.get("document");
            assertThat(document.at("/barcodes/back/pdf_417/type").asText()).isEqualTo("pdf_417");
            assertThat(customer.at("/surname/barcode").asText()).isEqualTo("SAMPLE");
            assertThat(customer.at("/givenNames/barcode").asText()).isEqualTo("MICHAEL JOHN");
            assertThat(customer.at("/dateOfBirth/barcode").asText()).isEqualTo("1986-01-31");
            assertThat(document.at("/documentNumber/barcode").asText()).isEqualTo("T64235789");
            assertThat(document.at("/dateOfExpiry/barcode").asText()).isEqualTo("2024-12-10");
            assertThat(document.at("/dateOfIssue/barcode").asText()).isEqualTo("2019-06-06");
            assertThat(document.at("/issuingAuthority/barcode").asText()).isEqualTo("USA");
            assertThat(document.at("/additionalTexts/addressStreet/barcode").asText()).isEqualTo("2300 WEST BROAD STREET");
            assertThat(document.at("/additionalTexts/addressCity/barcode").asText()).isEqualTo("RICHMOND");
            assertThat(document.at("/additionalTexts/addressJurisdiction/barcode").asText()).isEqualTo("VA");
            assertThat(document.at("/additionalTexts/addressPostalCode/barcode").asText()).isEqualTo("232690000");
            // no MRZ on a licence; the sex has no barcode source in BiometricMultiValueAttribute
            assertThat(customer.at("/surname").has("mrz")).isFalse();
            assertThat(customer.has("gender")).isFalse();
            // the front's printed fields confirm the barcode values (the dates printed month first)
            assertThat(customer.at("/surname/visualZone").asText()).isEqualTo("SAMPLE");
            assertThat(document.at("/documentNumber/visualZone").asText()).isEqualTo("T64235789");
            assertThat(customer.at("/dateOfBirth/visualZone").asText()).isEqualTo("1986-01-31");

            JsonNode inspection = body(stage.customer(DisContract.DOCUMENT_INSPECT, id));
            assertThat(inspection.get("expired").asBoolean()).as("the barcode's expiry, 2024-12-10").isTrue();
            assertThat(inspection.has("mrzInspection")).isFalse();
            JsonNode viz = inspection.get("visualZoneInspection");
            assertThat(viz.at("/textConsistency/consistent").asBoolean()).as(viz.toString()).isTrue();
            assertThat(viz.at("/textConsistency/consistencyWith/barcodes/inconsistentTexts").isArray()).isTrue();
            assertThat(viz.at("/textConsistency/consistencyWith/barcodes/inconsistentTexts").isEmpty()).isTrue();
            assertThat(viz.at("/textConsistency/consistencyWith").has("mrz")).isFalse();

            // kept sealed: the back's stored reading holds neither the name nor the number in clear
            byte[] stored = stage.parts().get(CustomerParts.key(id, CustomerParts.pageReading("back")));
            String clear = new String(stored, StandardCharsets.ISO_8859_1);
            assertThat(clear).doesNotContain("SAMPLE").doesNotContain("T64235789");
        }
    }

    @Test
    void aVisualZoneThatPrintsAnotherNameIsInconsistentWithTheBarcode() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_SOURCES, "VIZ,BARCODE"), Map.of()));
            body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"),
                    Map.of(DisContract.IMAGE_PART, front("SAMPLES"))));
            body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "back"), Map.of(DisContract.IMAGE_PART, back)));
            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            assertThat(customer.at("/surname/barcode").asText()).isEqualTo("SAMPLE");
            assertThat(customer.at("/surname").has("visualZone")).isFalse();
            JsonNode viz = body(stage.customer(DisContract.DOCUMENT_INSPECT, id)).get("visualZoneInspection");
            assertThat(viz.at("/textConsistency/consistent").asBoolean()).as(viz.toString()).isFalse();
            assertThat(viz.at("/textConsistency/consistencyWith/barcodes/inconsistentTexts"))
                    .extracting(JsonNode::asText).containsExactly("surname");
        }
    }

    @Test
    void theLowOcrConfidenceThresholdIsASetting() throws Exception {
        // OPENBIO_DIS_LOW_OCR_CONFIDENCE 1.0: every recognised field is under it; 0: none is
        for (double threshold : new double[] {1.0, 0.0}) {
            try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1), threshold)) {
                String id = stage.create(null);
                body(stage.customer(DisContract.DOCUMENT_PUT, id, null, attrs(DisContract.DOCUMENT_SOURCES, "VIZ,BARCODE"), Map.of()));
                body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "front"),
                        Map.of(DisContract.IMAGE_PART, front("SAMPLE"))));
                body(stage.customer(DisContract.PAGE_PUT, id, null, attrs(DisContract.PAGE_TYPE, "back"), Map.of(DisContract.IMAGE_PART, back)));
                JsonNode ocr = body(stage.customer(DisContract.DOCUMENT_INSPECT, id)).at("/visualZoneInspection/ocrConfidence");
                if (threshold == 1.0) {
                    assertThat(ocr.get("lowOcrConfidenceTexts")).extracting(JsonNode::asText)
                            .contains("surname", "documentNumber", "dateOfBirth");
                } else {
                    assertThat(ocr.get("lowOcrConfidenceTexts").isEmpty()).as(ocr.toString()).isTrue();
                }
            }
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new DisCustomerProcessor(
                io.openbio.processors.core.Analyzers::shared, Duration.ofHours(1), Duration.ofSeconds(5),
                java.time.Clock.systemUTC(), 1.5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPENBIO_DIS_LOW_OCR_CONFIDENCE");
    }
}
