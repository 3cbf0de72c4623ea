package io.openbio.gateway.api.bioserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Base64URL;
import io.openbio.schemas.crypto.SigningKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent verifier of the BioServer signatures: the {@code openssl} binary, given only the
 * certificate (PEM, as {@code GET /bioserver-app/v2/certificate} serves it) and the JWS, as the README
 * tells clients to verify: the signing input {@code base64url(header).base64url(payload)} in one file,
 * the base64url-decoded signature in another, the certificate's public key from
 * {@code openssl x509 -pubkey}, then {@code openssl dgst -sha256 -verify}. Needs openssl on the PATH
 * (skipped otherwise).
 */
class OpensslVerifierTest {
    static BioServerSignatures signatures;
    static Path dir;

    @BeforeAll
    static void keys(@TempDir Path temp) throws Exception {
        Assumptions.assumeTrue(openssl("version").exit() == 0, "the openssl binary is not on the PATH");
        dir = temp;
        signatures = new BioServerSignatures(SigningKeyStore.openOrCreate(temp.resolve("signing.p12"), "test".toCharArray()));
        Files.writeString(dir.resolve("cert.pem"), signatures.certificatePem(), StandardCharsets.US_ASCII);
        Run pubkey = openssl("x509", "-in", dir.resolve("cert.pem").toString(), "-pubkey", "-noout");
        assertThat(pubkey.exit()).as(pubkey.output()).isZero();
        Files.writeString(dir.resolve("pub.pem"), pubkey.output(), StandardCharsets.US_ASCII);
    }

    static ObjectNode response() throws Exception {
        return (ObjectNode) BioServerSignaturesTest.face();
    }

    @Test
    void opensslVerifiesACompactSignature() throws Exception {
        String[] parts = signatures.sign(response()).split("\\.");
        Run run = verify(parts[0] + "." + parts[1], new Base64URL(parts[2]).decode());
        assertThat(run.output()).contains("Verified OK");
        assertThat(run.exit()).isZero();
    }

    @Test
    void opensslVerifiesADetachedSignatureOverThePayloadRebuiltFromTheResponse() throws Exception {
        ObjectNode signed = signatures.signed(response(), true);
        String[] parts = signed.get("signature").asText().split("\\.", -1);
        assertThat(parts[1]).isEmpty();
        String payload = Base64URL.encode(BioServerSignatures.payloadOf(signed).getBytes(StandardCharsets.UTF_8)).toString();
        Run run = verify(parts[0] + "." + payload, new Base64URL(parts[2]).decode());
        assertThat(run.output()).contains("Verified OK");
        assertThat(run.exit()).isZero();
    }

    @Test
    void opensslRefusesATamperedPayload() throws Exception {
        ObjectNode signed = signatures.signed(response(), true);
        String[] parts = signed.get("signature").asText().split("\\.", -1);
        signed.put("quality", 999);
        String payload = Base64URL.encode(BioServerSignatures.payloadOf(signed).getBytes(StandardCharsets.UTF_8)).toString();
        Run run = verify(parts[0] + "." + payload, new Base64URL(parts[2]).decode());
        assertThat(run.output()).contains("Verification failure").doesNotContain("Verified OK");
        assertThat(run.exit()).isNotZero();
    }

    private static Run verify(String signingInput, byte[] signature) throws IOException, InterruptedException {
        Path data = Files.createTempFile(dir, "data", ".txt");
        Path sig = Files.createTempFile(dir, "sig", ".bin");
        Files.write(data, signingInput.getBytes(StandardCharsets.US_ASCII));
        Files.write(sig, signature);
        return openssl("dgst", "-sha256", "-verify", dir.resolve("pub.pem").toString(), "-signature", sig.toString(), data.toString());
    }

    record Run(int exit, String output) {
    }

    private static Run openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl did not finish: " + command);
        }
        return new Run(process.exitValue(), output);
    }
}
