package io.openbio.gateway.api.bioserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import io.openbio.schemas.crypto.SigningKeyStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BioServer JWS signatures: the seed's header and payload bytes, compact and detached forms
 * verified with the certificate's key (Nimbus' verifier here; {@link OpensslVerifierTest} verifies
 * with the openssl binary), tampering, and one signature per object of a list.
 */
class BioServerSignaturesTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static BioServerSignatures signatures;
    static RSASSAVerifier verifier;

    @BeforeAll
    static void keys(@TempDir Path dir) {
        signatures = new BioServerSignatures(SigningKeyStore.openOrCreate(dir.resolve("signing.p12"), "test".toCharArray()));
        verifier = new RSASSAVerifier((RSAPublicKey) signatures.certificate().getPublicKey());
    }

    static ObjectNode face() throws Exception {
        return (ObjectNode) MAPPER.readTree("""
                {"id":"0991c5a6-9c2f-4d5c-8e3e-6d6a0f1e2b3c","friendlyName":"Zoë","quality":186,
                 "landmarks":{"eyes":{"x1":283.5,"y1":318.0}},"certificates":["a","b"],"extra":{},"signature":"old"}""");
    }

    @Test
    void theHeaderIsTheSeedsAndThePayloadIsTheCrlfPrettyFormWithoutTheSignature() throws Exception {
        String[] parts = signatures.sign(face()).split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo("eyJhbGciOiJSUzI1NiJ9");
        assertThat(new Base64URL(parts[0]).decodeToString()).isEqualTo("{\"alg\":\"RS256\"}");
        String payload = "{\r\n"
                + "  \"id\" : \"0991c5a6-9c2f-4d5c-8e3e-6d6a0f1e2b3c\",\r\n"
                + "  \"friendlyName\" : \"Zoë\",\r\n"
                + "  \"quality\" : 186,\r\n"
                + "  \"landmarks\" : {\r\n"
                + "    \"eyes\" : {\r\n"
                + "      \"x1\" : 283.5,\r\n"
                + "      \"y1\" : 318.0\r\n"
                + "    }\r\n"
                + "  },\r\n"
                + "  \"certificates\" : [ \"a\", \"b\" ],\r\n"
                + "  \"extra\" : { }\r\n"
                + "}";
        assertThat(new Base64URL(parts[1]).decode()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(BioServerSignatures.payloadOf(face())).isEqualTo(payload);
        // the seed's examples start so: {\r\n  "id" : "
        assertThat(parts[1]).startsWith("ew0KICAiaWQiIDog");
        assertThat(JWSObject.parse(signatures.sign(face())).verify(verifier)).isTrue();
    }

    @Test
    void aDetachedSignatureVerifiesOverThePayloadRebuiltFromTheResponse() throws Exception {
        ObjectNode response = signatures.signed(face(), true);
        String signature = response.get("signature").asText();
        assertThat(signature).startsWith("eyJhbGciOiJSUzI1NiJ9..");
        assertThat(signature.split("\\.", -1)).hasSize(3);
        // as a client does: the body it received (here: parsed back from its text), less the signature
        ObjectNode received = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(response));
        assertThat(detachedVerifies(signature, received)).isTrue();
        // the compact and detached forms carry the same signature
        String[] compact = signatures.sign(face()).split("\\.");
        assertThat(signature).isEqualTo(compact[0] + ".." + compact[2]);
    }

    @Test
    void tamperingWithAFieldBreaksTheSignature() throws Exception {
        ObjectNode response = signatures.signed(face(), true);
        String signature = response.get("signature").asText();
        ObjectNode tampered = response.deepCopy();
        tampered.put("quality", 187);
        assertThat(detachedVerifies(signature, tampered)).isFalse();
        ObjectNode nested = response.deepCopy();
        ((ObjectNode) nested.at("/landmarks/eyes")).put("x1", 283.6);
        assertThat(detachedVerifies(signature, nested)).isFalse();
        ObjectNode reordered = MAPPER.createObjectNode();
        reordered.set("quality", response.get("quality"));
        response.fields().forEachRemaining(e -> reordered.set(e.getKey(), e.getValue()));
        assertThat(detachedVerifies(signature, reordered)).as("field order is part of the payload").isFalse();

        // compact: a payload swapped for another's under the same signature
        String[] one = signatures.sign(face()).split("\\.");
        ObjectNode other = face();
        other.put("quality", 1);
        String[] two = signatures.sign(other).split("\\.");
        assertThat(JWSObject.parse(one[0] + "." + two[1] + "." + one[2]).verify(verifier)).isFalse();
    }

    @Test
    void signedPutsTheSignatureLastAndReplacesAnOldOne() throws Exception {
        ObjectNode signed = signatures.signed(face(), false);
        java.util.List<String> names = new java.util.ArrayList<>();
        signed.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "friendlyName", "quality", "landmarks", "certificates", "extra", "signature");
        assertThat(signed.get("signature").asText()).isNotEqualTo("old");
        assertThat(JWSObject.parse(signed.get("signature").asText()).verify(verifier)).isTrue();
        assertThat(face().get("signature").asText()).as("the input is not changed").isEqualTo("old");
    }

    @Test
    void aListGetsOneSignaturePerObjectAndNestedObjectsNone() throws Exception {
        ObjectNode match = (ObjectNode) MAPPER.readTree("""
                {"reference":{"id":"r"},"candidate":{"id":"c"},"score":3500.0}""");
        ArrayNode list = MAPPER.createArrayNode().add(face()).add(match).add("not an object");
        JsonNode signed = signatures.signAll(list);
        assertThat(signed).hasSize(3);
        for (int i = 0; i < 2; i++) {
            ObjectNode element = (ObjectNode) signed.get(i);
            JWSObject jws = JWSObject.parse(element.get("signature").asText());
            assertThat(jws.verify(verifier)).isTrue();
            assertThat(jws.getPayload().toString()).isEqualTo(BioServerSignatures.payloadOf((ObjectNode) list.get(i)));
        }
        assertThat(signed.at("/1/reference").has("signature")).isFalse();
        assertThat(signed.at("/1/candidate").has("signature")).isFalse();
        assertThat(signed.get(2).asText()).isEqualTo("not an object");
        assertThat(signatures.signAll(face()).get("signature")).isNotNull();
        assertThat(signatures.signAll(MAPPER.getNodeFactory().textNode("x")).asText()).isEqualTo("x");
    }

    @Test
    void everyGatewayOverTheSameStoreSignsWithTheSameKey(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("shared.p12");
        BioServerSignatures one = new BioServerSignatures(SigningKeyStore.openOrCreate(store, "pw".toCharArray()));
        BioServerSignatures two = new BioServerSignatures(SigningKeyStore.openOrCreate(store, "pw".toCharArray()));
        assertThat(two.certificatePem()).isEqualTo(one.certificatePem());
        RSASSAVerifier oneKey = new RSASSAVerifier((RSAPublicKey) one.certificate().getPublicKey());
        assertThat(JWSObject.parse(two.sign(face())).verify(oneKey)).isTrue();
        assertThat(Files.exists(store)).isTrue();
    }

    /** A detached JWS checked as a client does: the payload rebuilt from the response less its signature. */
    static boolean detachedVerifies(String detached, ObjectNode response) throws Exception {
        JWSObject jws = JWSObject.parse(detached, new Payload(BioServerSignatures.payloadOf(response).getBytes(StandardCharsets.UTF_8)));
        return jws.verify(verifier);
    }
}
