package io.openbio.gateway.api.bioserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import io.openbio.schemas.crypto.SigningKeyStore;
import io.openbio.schemas.crypto.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The BioServer API's (seed 003) response signatures: compact JWS (RFC 7515), RS256, with the seed's
 * exact header {@code {"alg":"RS256"}} ({@value #HEADER_B64}) and no key id, made with the key of
 * {@link SigningKeys} (every gateway reads the same store, so the one certificate served at
 * {@link BioServerApi#CERTIFICATE_PATH} verifies any instance's answers).
 *
 * <p>The payload is the response object without its top-level {@code signature} field, in its
 * field order, serialised as the seed's examples decode ({@code ew0KICAiaWQiIDog} is
 * <code>{\r\n  "id" : </code>): Jackson's default pretty printer with CRLF line ends, two-space
 * indentation, {@code " : "} between name and value, arrays on one line ({@code [ 1, 2 ]}), empty
 * objects {@code { }}, UTF-8. {@link #payloadOf} is that one definition; a verifier of a detached
 * signature rebuilds the payload the same way from the response it received.
 *
 * <p>Where {@code signature} goes: {@link #signed} and {@link #signAll} add it as the object's last
 * field (the seed's Face, Match and session examples). A caller that needs another order (the seed's
 * replay-liveness-metadata examples show it first) calls {@link #sign} or {@link #signDetached} and
 * builds the object itself: the payload never contains {@code signature}, so its place does not change it.
 */
@Component
public class BioServerSignatures {
    /** The response field holding the JWS. */
    public static final String SIGNATURE = "signature";
    /** {@code {"alg":"RS256"}}, base64url: the seed's header, byte for byte. */
    public static final String HEADER_B64 = "eyJhbGciOiJSUzI1NiJ9";

    /** Parsed from the seed's own bytes, so Nimbus signs exactly them (it keeps a parsed header's encoding). */
    private static final JWSHeader HEADER = header();
    private static final ObjectWriter PAYLOAD_WRITER = JsonMapper.builder().build()
            .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\r\n")));

    private final JWSSigner signer;
    private final SigningKeyStore keys;

    /** The gateway's signer, over the configured store ({@code OPENBIO_BIOSERVER_SIGNING_KEYSTORE}; created when missing). */
    @Autowired
    public BioServerSignatures() {
        this(SigningKeys.fromSettings());
        if (SigningKeys.usingDevPassword()) {
            LoggerFactory.getLogger(BioServerSignatures.class).warn(
                    "the BioServer signing key store uses the development password; set OPENBIO_BIOSERVER_SIGNING_KEYSTORE_PASSWORD");
        }
    }

    public BioServerSignatures(SigningKeyStore keys) {
        this.keys = keys;
        // RSASSASigner is thread-safe (a new java.security.Signature per call)
        this.signer = new RSASSASigner(keys.privateKey());
    }

    /** The certificate whose public key verifies the signatures. */
    public X509Certificate certificate() {
        return keys.certificate();
    }

    /** {@link #certificate()} as PEM. */
    public String certificatePem() {
        return keys.certificatePem();
    }

    /** The JWS payload of {@code response}: the object less its top-level {@code signature}, pretty-printed with CRLF. */
    public static String payloadOf(ObjectNode response) {
        ObjectNode unsigned = response.deepCopy();
        unsigned.remove(SIGNATURE);
        try {
            return PAYLOAD_WRITER.writeValueAsString(unsigned);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e); // a tree always serialises
        }
    }

    /** The compact JWS of {@code response}: {@code header.payload.signature}. */
    public String sign(ObjectNode response) {
        return jws(response).serialize(false);
    }

    /** The same signature, detached ({@code header..signature}): the verifier rebuilds the payload with {@link #payloadOf}. */
    public String signDetached(ObjectNode response) {
        return jws(response).serialize(true);
    }

    /** A copy of {@code response} with {@code signature} (compact, or detached) as its last field; an old one is replaced. */
    public ObjectNode signed(ObjectNode response, boolean detached) {
        ObjectNode out = response.deepCopy();
        out.remove(SIGNATURE);
        out.put(SIGNATURE, detached ? signDetached(out) : sign(out));
        return out;
    }

    /**
     * {@code body} signed as the seed signs lists: an object gets its {@code signature}; a top-level
     * array gets one per object element (each Face, each Match); nested objects are not signed, and
     * anything else is returned as it is.
     */
    public JsonNode signAll(JsonNode body) {
        if (body instanceof ObjectNode object) {
            return signed(object, false);
        }
        if (body instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(array.size());
            for (JsonNode element : array) {
                out.add(element instanceof ObjectNode object ? signed(object, false) : element.deepCopy());
            }
            return out;
        }
        return body;
    }

    private JWSObject jws(ObjectNode response) {
        JWSObject jws = new JWSObject(HEADER, new Payload(payloadOf(response).getBytes(StandardCharsets.UTF_8)));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the response", e);
        }
        return jws;
    }

    private static JWSHeader header() {
        try {
            return JWSHeader.parse(new Base64URL(HEADER_B64));
        } catch (ParseException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
