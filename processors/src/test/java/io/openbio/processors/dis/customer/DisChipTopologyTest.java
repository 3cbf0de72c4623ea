package io.openbio.processors.dis.customer;

import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.body;
import static io.openbio.processors.dis.customer.DisCustomerTopologyTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.DisDocument;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.settings.Settings;
import io.openbio.testkit.TestChips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NFC chip operations of the dis-customers stage on TopologyTestDriver with chip data the test builds and signs
 * itself ({@link TestChips}): the challenge, genuine data (kept sealed, DG2 portrait, passive authentication
 * AUTHENTICATED with the test CSCA configured, AUTHORITY_CERTIFICATES_NOT_PROVIDED without), a tampered data group
 * (DENIED), bytes that are no LDS (LDS_PARSE_ERROR, nothing kept), chip operations before a document (404).
 */
class DisChipTopologyTest {
    static TestChips chips;
    static byte[] genuine;
    static byte[] dg2Jpeg;

    @BeforeAll
    static void build() throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        chips = new TestChips("UT");
        genuine = chips.genuine();
        dg2Jpeg = TestChips.portraitJpeg();
    }

    @AfterEach
    void clear() {
        System.clearProperty(Settings.DIS_CSCA_CERTIFICATES.property());
    }

    static String withDocument(DisCustomerTopologyTest.Stage stage) throws Exception {
        String id = stage.create(null);
        body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
        return id;
    }

    @Test
    void genuineChipDataIsKeptAndAuthenticatedWithTheConfiguredCsca(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("csca.pem"), chips.cscaPem());
        System.setProperty(Settings.DIS_CSCA_CERTIFICATES.property(), dir.toString());
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            // before a document: 404
            assertThat(code(stage.customer(DisContract.CHIP_DATA_PUT, id, null, Map.of(), Map.of(DisContract.CHIP_PART, genuine))))
                    .isEqualTo("NOT_FOUND");
            assertThat(code(stage.customer(DisContract.CHIP_CHALLENGE, id))).isEqualTo("NOT_FOUND");
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));

            JsonNode challenge = body(stage.customer(DisContract.CHIP_CHALLENGE, id));
            assertThat(Base64.getDecoder().decode(challenge.get("challenge").asText())).hasSize(8);
            assertThat(stage.customers().get(id).getDocument().getChipChallenge()).isEqualTo(challenge.get("challenge").asText());
            assertThat(body(stage.customer(DisContract.CHIP_CHALLENGE, id)).get("challenge").asText()).isNotEqualTo(challenge.get("challenge").asText());

            JsonNode put = body(stage.customer(DisContract.CHIP_DATA_PUT, id, null, Map.of(), Map.of(DisContract.CHIP_PART, genuine)));
            assertThat(put.has("errorCode")).isFalse();
            assertThat(put.at("/links/self").asText()).isEqualTo("/api/v1/customers/" + id + "/document/chip/data");
            DisDocument document = stage.customers().get(id).getDocument();
            assertThat(document.getChipDataAuthentication()).isEqualTo("AUTHENTICATED");
            assertThat(document.getChipPortrait()).isTrue();
            // the raw files back as uploaded; kept sealed
            byte[] data = Base64.getDecoder().decode(body(stage.customer(DisContract.CHIP_DATA_GET, id)).get("data").asText());
            assertThat(data).isEqualTo(genuine);
            byte[] stored = stage.parts().get(CustomerParts.key(id, CustomerParts.CHIP_DATA));
            assertThat(DisCustomerTopologyTest.indexOf(stored, Arrays.copyOfRange(genuine, 0, 48))).isNegative();
            // DG2's portrait, JPEG as the chip holds it
            byte[] portrait = Base64.getDecoder().decode(body(stage.customer(DisContract.CHIP_PORTRAIT, id)).get("data").asText());
            assertThat(portrait).isEqualTo(dg2Jpeg);
            assertThat(body(stage.customer(DisContract.CUSTOMER_GET, id)).at("/customer/document/links/chipPortrait").asText())
                    .isEqualTo("/api/v1/customers/" + id + "/document/chip/portrait");

            // a tampered DG1 (one byte of the MRZ changed): DENIED
            byte[] dg1 = TestChips.dg1(TestChips.passportMrz());
            byte[] dg2 = TestChips.dg2(dg2Jpeg);
            byte[] sod = TestChips.sod(Map.of(1, dg1, 2, dg2), chips.signerKeys.getPrivate(), chips.signer);
            byte[] altered = dg1.clone();
            altered[altered.length - 3] = (byte) (altered[altered.length - 3] == 'A' ? 'B' : 'A');
            body(stage.customer(DisContract.CHIP_DATA_PUT, id, null, Map.of(),
                    Map.of(DisContract.CHIP_PART, TestChips.concatenate(TestChips.com(), altered, dg2, sod))));
            assertThat(stage.customers().get(id).getDocument().getChipDataAuthentication()).isEqualTo("DENIED");

            // no LDS: 200 LDS_PARSE_ERROR, what was kept stays
            JsonNode bad = body(stage.customer(DisContract.CHIP_DATA_PUT, id, null, Map.of(), Map.of(DisContract.CHIP_PART, "not a chip".getBytes())));
            assertThat(bad.get("errorCode").asText()).isEqualTo("LDS_PARSE_ERROR");
            assertThat(stage.customers().get(id).getDocument().getChipDataAuthentication()).isEqualTo("DENIED");

            // a second PUT document drops the chip files
            body(stage.customer(DisContract.DOCUMENT_PUT, id, null, Map.of(), Map.of()));
            assertThat(stage.parts().get(CustomerParts.key(id, CustomerParts.CHIP_DATA))).isNull();
            assertThat(code(stage.customer(DisContract.CHIP_PORTRAIT, id))).isEqualTo("NOT_FOUND");
            assertThat(code(stage.customer(DisContract.CHIP_DATA_GET, id))).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void withoutCscasIntactDataIsAuthorityCertificatesNotProvided() throws Exception {
        try (DisCustomerTopologyTest.Stage stage = new DisCustomerTopologyTest.Stage(Duration.ofHours(1))) {
            String id = withDocument(stage);
            body(stage.customer(DisContract.CHIP_DATA_PUT, id, null, Map.of(), Map.of(DisContract.CHIP_PART, genuine)));
            assertThat(stage.customers().get(id).getDocument().getChipDataAuthentication()).isEqualTo("AUTHORITY_CERTIFICATES_NOT_PROVIDED");
        }
    }
}
