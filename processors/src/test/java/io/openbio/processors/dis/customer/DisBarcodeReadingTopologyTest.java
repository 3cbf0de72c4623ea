package io.openbio.processors.dis.customer;

import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.body;
import static io.openbio.processors.dis.customer.DisDocumentTopologyTest.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.schemas.contract.DisContract;
import io.openbio.testkit.AamvaCards;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AAMVA PDF417 of a SYNTHETIC US driver's licence (testkit {@link AamvaCards}) read by the dis-customers stage on
 * TopologyTestDriver, with the real page analyzer, Tesseract and ZXing: the back page carries a PDF417 written by
 * ZXing's PDF417Writer holding AAMVA DL content (the standard's 2020 example layout), the front page the printed
 * fields (US dates, month first). GET customer answers the {@code barcode} values, the inspection compares the visual zone with them, and the
 * reading stays sealed.
 */
class DisBarcodeReadingTopologyTest {
    static byte[] back;

    @BeforeAll
    static void pages() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        back = AamvaCards.back(AamvaCards.content("SAMPLE"));
    }

    static byte[] front(String surname) {
        return AamvaCards.front(surname);
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
