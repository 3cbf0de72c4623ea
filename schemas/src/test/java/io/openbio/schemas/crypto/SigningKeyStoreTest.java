package io.openbio.schemas.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyStoreTest {
    private static final char[] PASSWORD = "test-password".toCharArray();

    @TempDir
    Path dir;

    @Test
    void aNewStoreHoldsAnRsaKeyAndItsSelfSignedCertificateOwnerOnly() throws Exception {
        Path path = dir.resolve("keys/signing.p12");
        SigningKeyStore store = SigningKeyStore.openOrCreate(path, PASSWORD);

        X509Certificate certificate = store.certificate();
        assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isEqualTo(SigningKeyStore.DEFAULT_KEY_BITS);
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity();
        assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(3649, ChronoUnit.DAYS));
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var files = Files.list(path.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(path);
        }

        // the private key belongs to the certificate
        byte[] data = "signed".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(store.privateKey());
        signer.update(data);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate);
        verifier.update(data);
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    @Test
    void everyOpenReadsTheSameKeyAndCreateNeverReplacesOne() throws Exception {
        Path path = dir.resolve("signing.p12");
        SigningKeyStore first = SigningKeyStore.openOrCreate(path, PASSWORD);
        SigningKeyStore again = SigningKeyStore.openOrCreate(path, PASSWORD);
        SigningKeyStore opened = SigningKeyStore.open(path, PASSWORD);
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(opened.privateKey()).isEqualTo(first.privateKey());
        assertThatThrownBy(() -> SigningKeyStore.create(path, PASSWORD)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(SigningKeyStore.open(path, PASSWORD).certificate()).isEqualTo(first.certificate());
    }

    @Test
    void aMissingStoreOrAWrongPasswordIsAClearError() throws Exception {
        Path path = dir.resolve("signing.p12");
        assertThatThrownBy(() -> SigningKeyStore.open(path, PASSWORD)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no signing key store at");
        SigningKeyStore.create(path, PASSWORD);
        assertThatThrownBy(() -> SigningKeyStore.open(path, "wrong".toCharArray())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read the signing key store");
        // a PKCS12 store without the signing entry (e.g. the payload key store by mistake)
        Path payload = dir.resolve("payload.p12");
        PayloadKeyStore.create(payload, PASSWORD);
        assertThatThrownBy(() -> SigningKeyStore.open(payload, PASSWORD)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no RSA key entry 'signing'");
    }

    @Test
    void aLargerKeyOnRequestAndNeverOneBelowRs256sMinimum() throws Exception {
        Path path = dir.resolve("signing-3072.p12");
        SigningKeyStore.create(path, PASSWORD, 3072);
        assertThat(((RSAPublicKey) SigningKeyStore.open(path, PASSWORD).certificate().getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThatThrownBy(() -> SigningKeyStore.create(dir.resolve("weak.p12"), PASSWORD, 1024)).isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("weak.p12")).doesNotExist();
    }

    @Test
    void thePemIsTheCertificate() throws Exception {
        SigningKeyStore store = SigningKeyStore.openOrCreate(dir.resolve("signing.p12"), PASSWORD);
        String pem = store.certificatePem();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        assertThat(pem.lines().filter(l -> !l.startsWith("-----"))).allMatch(l -> l.length() <= 64);
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(parsed).isEqualTo(store.certificate());
    }
}
