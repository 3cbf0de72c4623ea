package io.openbio.inference.document.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.inference.document.chip.PassiveAuthentication.Status;
import io.openbio.testkit.TestChips;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chip data built and signed by the tests (own CSCA and document signer), read and passively authenticated. */
class PassiveAuthenticationTest {
    static TestChips utopia;
    static TestChips other;

    @BeforeAll
    static void keys() throws Exception {
        utopia = new TestChips("UT");
        other = new TestChips("XX");
    }

    @Test
    void genuineDataIsReadAndAuthenticatedAgainstItsCsca() throws Exception {
        ChipFiles files = ChipFiles.parse(utopia.genuine());
        assertThat(files.dataGroups()).containsExactly(1, 2);

        ChipDocument document = ChipDocument.read(files);
        assertThat(document.ldsVersion()).isEqualTo("1.7");
        ChipMrz mrz = document.mrz().orElseThrow();
        assertThat(mrz.format()).isEqualTo("TD3");
        assertThat(mrz.surname()).isEqualTo("ERIKSSON");
        assertThat(mrz.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(mrz.documentNumber()).isEqualTo("L898902C3");
        assertThat(mrz.dateOfBirth()).isEqualTo("740812");
        assertThat(mrz.gender()).isEqualTo("F");
        assertThat(mrz.toString()).doesNotContain("ERIKSSON");
        assertThat(document.portraits()).hasSize(1);
        ChipDocument.Portrait portrait = document.portraits().get(0);
        assertThat(portrait.mimeType()).isEqualTo("image/jpeg");
        var decoded = ImageIO.read(new ByteArrayInputStream(portrait.data()));
        assertThat(decoded.getWidth()).isEqualTo(portrait.width());

        PassiveAuthentication.Result result = new PassiveAuthentication(List.of(utopia.csca)).verify(files);
        assertThat(result.status()).as(result.reason()).isEqualTo(Status.AUTHENTICATED);
        assertThat(result.signatureValid()).isTrue();
        assertThat(result.hashesValid()).isTrue();
        assertThat(result.chainValid()).isTrue();
    }

    @Test
    void withoutCscasIntactDataIsNotAuthenticated() throws Exception {
        PassiveAuthentication.Result result = new PassiveAuthentication(List.of()).verify(ChipFiles.parse(utopia.genuine()));
        assertThat(result.status()).isEqualTo(Status.AUTHORITY_CERTIFICATES_NOT_PROVIDED);
        assertThat(result.signatureValid()).isTrue();
        assertThat(result.hashesValid()).isTrue();
    }

    @Test
    void aDocumentSignerOfAnotherCountryIsDenied() throws Exception {
        PassiveAuthentication.Result result = new PassiveAuthentication(List.of(other.csca)).verify(ChipFiles.parse(utopia.genuine()));
        assertThat(result.status()).isEqualTo(Status.DENIED);
        assertThat(result.signatureValid()).isTrue();
        assertThat(result.chainValid()).isFalse();
    }

    @Test
    void aTamperedDataGroupFailsEvenWithoutCscas() throws Exception {
        byte[] dg1 = TestChips.dg1(TestChips.passportMrz());
        byte[] dg2 = TestChips.dg2(TestChips.portraitJpeg());
        byte[] sod = TestChips.sod(Map.of(1, dg1, 2, dg2), utopia.signerKeys.getPrivate(), utopia.signer);
        // the holder's date of birth changed after signing: DG1 re-encoded with another MRZ, same SOD
        var altered = new org.jmrtd.lds.icao.MRZInfo("P<", "UTO", "ERIKSSON", "ANNA<MARIA", "L898902C3", "UTO", "840812",
                net.sf.scuba.data.Gender.FEMALE, "340415", "ZE184226B<<<<<");
        byte[] tampered = TestChips.concatenate(TestChips.com(), TestChips.dg1(altered), dg2, sod);
        for (List<java.security.cert.X509Certificate> cscas : List.of(List.of(utopia.csca), List.<java.security.cert.X509Certificate>of())) {
            PassiveAuthentication.Result result = new PassiveAuthentication(cscas).verify(ChipFiles.parse(tampered));
            assertThat(result.status()).isEqualTo(Status.DENIED);
            assertThat(result.mismatchedGroups()).containsExactly(1);
            assertThat(result.signatureValid()).isTrue();
        }
        // one pixel byte of the portrait changed
        byte[] dg2Tampered = dg2.clone();
        dg2Tampered[dg2Tampered.length - 40] ^= 0x01;
        PassiveAuthentication.Result portrait = new PassiveAuthentication(List.of(utopia.csca))
                .verify(ChipFiles.parse(ChipFiles.concatenate(dg1, dg2Tampered, sod)));
        assertThat(portrait.status()).isEqualTo(Status.DENIED);
        assertThat(portrait.mismatchedGroups()).containsExactly(2);
    }

    @Test
    void anSodSignedByAnotherKeyThanItsCertificateIsDenied() throws Exception {
        byte[] dg1 = TestChips.dg1(TestChips.passportMrz());
        byte[] dg2 = TestChips.dg2(TestChips.portraitJpeg());
        // hashes right, but signed with the CSCA's key while carrying the document signer's certificate
        byte[] forged = TestChips.sod(Map.of(1, dg1, 2, dg2), utopia.cscaKeys.getPrivate(), utopia.signer);
        PassiveAuthentication.Result result = new PassiveAuthentication(List.of(utopia.csca)).verify(ChipFiles.parse(ChipFiles.concatenate(dg1, forged)));
        assertThat(result.status()).isEqualTo(Status.DENIED);
        assertThat(result.signatureValid()).isFalse();
    }

    @Test
    void aDataGroupTheSodDoesNotListIsDenied() throws Exception {
        byte[] dg1 = TestChips.dg1(TestChips.passportMrz());
        byte[] dg2 = TestChips.dg2(TestChips.portraitJpeg());
        // the SOD lists DG1 and DG3 (a JMRTD SOD holds 2..16 hashes), the upload has DG1 and DG2
        byte[] sod = TestChips.sod(Map.of(1, dg1, 3, new byte[] {0x63, 0x00}), utopia.signerKeys.getPrivate(), utopia.signer);
        PassiveAuthentication.Result result = new PassiveAuthentication(List.of(utopia.csca)).verify(ChipFiles.parse(ChipFiles.concatenate(dg1, dg2, sod)));
        assertThat(result.status()).isEqualTo(Status.DENIED);
        assertThat(result.mismatchedGroups()).containsExactly(2);
    }

    @Test
    void missingOrBrokenSecurityObjects() throws Exception {
        byte[] dg1 = TestChips.dg1(TestChips.passportMrz());
        assertThat(new PassiveAuthentication(List.of(utopia.csca)).verify(ChipFiles.parse(dg1)).status()).isEqualTo(Status.INVALID_SOD_FILE);
        byte[] brokenSod = {0x77, 0x03, 0x30, 0x01, 0x00};
        assertThat(new PassiveAuthentication(List.of(utopia.csca)).verify(ChipFiles.parse(ChipFiles.concatenate(dg1, brokenSod))).status())
                .isEqualTo(Status.INVALID_SOD_FILE);
        byte[] sod = TestChips.sod(Map.of(1, dg1, 2, TestChips.dg2(TestChips.portraitJpeg())), utopia.signerKeys.getPrivate(), utopia.signer);
        byte[] brokenCom = {0x60, 0x02, 0x01, 0x02};
        assertThat(new PassiveAuthentication(List.of(utopia.csca)).verify(ChipFiles.parse(ChipFiles.concatenate(brokenCom, dg1, sod))).status())
                .isEqualTo(Status.INVALID_COM_FILE);
    }

    @Test
    void whatIsNoLdsIsRefused() {
        assertThatThrownBy(() -> ChipFiles.parse(new byte[0])).isInstanceOf(ChipDataException.class);
        assertThatThrownBy(() -> ChipFiles.parse("hello chip".getBytes())).isInstanceOf(ChipDataException.class);
        assertThatThrownBy(() -> ChipFiles.parse(new byte[] {0x61, 0x7F, 0x01})).isInstanceOf(ChipDataException.class);
        byte[] dg1 = TestChips.dg1(TestChips.passportMrz());
        assertThatThrownBy(() -> ChipFiles.parse(ChipFiles.concatenate(dg1, dg1))).isInstanceOf(ChipDataException.class)
                .hasMessageContaining("twice");
        // a DG1 tag with a body that is no MRZ
        assertThatThrownBy(() -> ChipDocument.read(ChipFiles.parse(new byte[] {0x61, 0x03, 0x5F, 0x1F, 0x00})))
                .isInstanceOf(ChipDataException.class);
    }

    @Test
    void uploadOrderIsKeptWhenEncodedAgain() throws Exception {
        byte[] upload = utopia.genuine();
        assertThat(ChipFiles.parse(upload).encoded()).isEqualTo(upload);
        assertThat(ChipFiles.parse(upload).toString()).startsWith("ChipFiles[EF_COM=22B EF_DG1=");
    }

    @Test
    void cscasLoadFromPemFiles(@TempDir Path dir) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(utopia.csca.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(dir.resolve("ut.pem"), pem);
        Files.write(dir.resolve("xx.der"), other.csca.getEncoded());
        assertThat(PassiveAuthentication.loadCertificates(dir)).containsExactly(utopia.csca, other.csca);
        assertThat(new PassiveAuthentication(PassiveAuthentication.loadCertificates(dir.resolve("ut.pem")))
                .verify(ChipFiles.parse(utopia.genuine())).status()).isEqualTo(Status.AUTHENTICATED);
    }
}
