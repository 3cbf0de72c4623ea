package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.sun.net.httpserver.HttpServer;
import io.openbio.gateway.api.bioserver.BioServerSignatures;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.schemas.contract.BioServerContract;
import io.openbio.testkit.GenuineCaptures;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BioServer replay liveness (seed 003, flow B5) over real HTTP, the embedded broker and the real stages and
 * models: a bio-session with a callbackURL, init-liveness-parameters (signature first, verified; the
 * capture-encryption certificate), the capture client's two keyless calls (the challenge; the capture bundle
 * through decrypt, nonce and challenge-verify), the v3 replay-liveness-metadata going INITIALIZED ->
 * SUCCESS with the best image (detached signature, verified over the rebuilt payload), the callback
 * {@code {"sessionId":...}}, the integrators' challenge result and the face made from the best frame.
 * PASSIVE_VIDEO and ACTIVE. The captures are testkit's SYNTHETIC genuine sequences (one real photo edited
 * so the models read each action): they pass the pipeline, they are not a live person.
 */
class BioServerReplayIntegrationTest {
    static final String KEY = "bioserver-replay-key";
    static WiredPlatform platform;
    static int gateway;
    static HttpServer receiver;
    static final LinkedBlockingQueue<String> CALLBACKS = new LinkedBlockingQueue<>();
    static RSAPublicKey signingKey;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        // API keys on, the key's tenant is "default" (whose callbacks may reach 127.0.0.1 in the wired tests)
        gateway = platform.gateway("gw-bioserver-replay", "openbio.security.api-keys=default:USER:" + ApiKeys.sha256(KEY));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/callback", exchange -> {
            CALLBACKS.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Http.Answer pem = Http.get(gateway, "/bioserver-app/v2/certificate");
        assertThat(pem.status()).isEqualTo(200);
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.body().getBytes(StandardCharsets.US_ASCII)));
        signingKey = (RSAPublicKey) certificate.getPublicKey();
    }

    @AfterAll
    static void down() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    static Http.Answer call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + path)).timeout(Duration.ofSeconds(60))
                .header("apikey", KEY).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return Http.send(request.build());
    }

    /** A session with the receiver as callbackURL; its id. */
    static String session() {
        Http.Answer created = call("POST", "/bioserver-app/v2/bio-sessions",
                "[{\"correlationId\":\"replay\",\"imageStorageEnabled\":true,\"callbackURL\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                        + "/callback\"}]");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.raw().headers().firstValue("Location").orElseThrow().replaceAll("^.*/(.*)", "$1");
    }

    static JsonNode verifiedCompact(JsonNode answer) throws Exception {
        JWSObject jws = JWSObject.parse(answer.get("signature").asText());
        assertThat(jws.getHeader().toBase64URL().toString()).isEqualTo(BioServerSignatures.HEADER_B64);
        assertThat(jws.verify(new RSASSAVerifier(signingKey))).as("signature verifies").isTrue();
        ObjectNode rest = ((ObjectNode) answer).deepCopy();
        rest.remove("signature");
        assertThat(Http.JSON.readTree(jws.getPayload().toString())).as("the payload is the answer less signature").isEqualTo(rest);
        return answer;
    }

    static void verifiedDetached(JsonNode answer) throws Exception {
        String signature = answer.get("signature").asText();
        assertThat(signature).as("detached").contains("..");
        String[] parts = signature.split("\\.");
        assertThat(answer.fieldNames().next()).as("signature first, as the seed's examples").isEqualTo("signature");
        Payload rebuilt = new Payload(BioServerSignatures.payloadOf((ObjectNode) answer));
        JWSObject jws = new JWSObject(com.nimbusds.jose.util.Base64URL.from(parts[0]), rebuilt, com.nimbusds.jose.util.Base64URL.from(parts[2]));
        assertThat(jws.verify(new RSASSAVerifier(signingKey))).as("detached signature verifies over the rebuilt payload").isTrue();
    }

    static JsonNode awaitStatus(String session, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Http.Answer metadata = call("GET", "/bioserver-app/v3/bio-sessions/" + session + "/replay-liveness-metadata", null);
            assertThat(metadata.status()).as(metadata.body()).isEqualTo(200);
            if (status.equals(metadata.json().get("status").asText())) {
                return metadata.json();
            }
            assertThat(System.nanoTime()).as("waited 30 s for " + status + ", last " + metadata.body()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void passiveVideoFromInitToCallback() throws Exception {
        String session = session();
        Http.Answer init = call("POST", "/bioserver-app/v2/bio-sessions/" + session + "/init-liveness-parameters",
                "[{\"type\":\"LIVENESS_PASSIVE_VIDEO\",\"securityLevel\":\"HIGH\",\"id\":\"replay-id\",\"imageRetrievalDisabled\":false}]");
        assertThat(init.status()).as(init.body()).isEqualTo(200);
        JsonNode params = verifiedCompact(init.json());
        assertThat(params.fieldNames().next()).isEqualTo("signature");
        assertThat(params.get("id").asText()).isEqualTo("replay-id");
        assertThat(params.get("seed").isInt()).isTrue();
        assertThat(Base64.getDecoder().decode(params.get("serverRandom").asText())).hasSize(32);
        X509Certificate encryption = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(params.get("certificates").get(0).asText())));
        assertThat(Base64.getEncoder().encodeToString(encryption.getPublicKey().getEncoded()))
                .as("the capture-encryption key").isEqualTo(Http.get(gateway, "/bundle/public-key").json().get("publicKey").asText());
        JsonNode initialized = awaitStatus(session, "INITIALIZED");
        verifiedDetached(initialized);

        // the capture client: no API key
        Http.Answer challenge = Http.get(gateway, "/bioserver-app/v2/bio-sessions/" + session + "/liveness-challenge");
        assertThat(challenge.status()).as(challenge.body()).isEqualTo(200);
        String nonce = challenge.json().get("nonce").asText();
        assertThat(nonce).isEqualTo(BioServerContract.sessionKey(session));
        assertThat(challenge.json().get("actions")).isEmpty();
        // a few seconds of the face (the verification wants at least 10 frames): the person smiles and blinks meanwhile
        List<byte[]> frames = GenuineCaptures.frames(List.of("SMILE", "CLOSE_EYES"));
        assertThat(frames.size()).isGreaterThanOrEqualTo(10);
        long filmed = Instant.parse(challenge.json().get("issuedAt").asText()).toEpochMilli() + frames.size() * GenuineCaptures.FRAME_MS + 300;
        Thread.sleep(Math.max(0, filmed - System.currentTimeMillis()));
        byte[] bundle = new CaptureClient(gateway).challengeBundle(frames, nonce, null, null, GenuineCaptures.FRAME_MS);
        Http.Answer captured = Http.post(gateway, "/bioserver-app/v2/bio-sessions/" + session + "/liveness-capture", "application/octet-stream", bundle);
        assertThat(captured.status()).as(captured.body()).isEqualTo(200);
        assertThat(captured.json().get("decision").asText()).as(captured.body()).isEqualTo("PASS");

        JsonNode success = awaitStatus(session, "SUCCESS");
        verifiedDetached(success);
        assertThat(Base64.getDecoder().decode(success.get("image").asText())).as("the best frame").startsWith((byte) 0xff, (byte) 0xd8);
        assertThat(success.at("/landmarks/box/width").asInt()).isPositive();
        String callback = CALLBACKS.poll(30, TimeUnit.SECONDS);
        assertThat(callback).as("the callback").isEqualTo("{\"sessionId\":\"" + session + "\"}");

        Http.Answer result = call("GET", "/bioserver-app/v2/bio-sessions/" + session + "/liveness-challenge-result", null);
        assertThat(result.status()).as(result.body()).isEqualTo(200);
        assertThat(result.json().get("livenessStatus").asText()).isEqualTo("SUCCESS");
        String best = result.json().get("bestImageId").asText();
        Http.Answer image = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/bioserver-app/v2/bio-sessions/" + session
                + "/faces/" + best + "/image")).header("apikey", KEY).GET().build());
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.raw().headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");

        // used: the capture calls are 404, a second init 409, the session deletes
        assertThat(Http.get(gateway, "/bioserver-app/v2/bio-sessions/" + session + "/liveness-challenge").status()).isEqualTo(404);
        Http.Answer again = call("POST", "/bioserver-app/v2/bio-sessions/" + session + "/init-liveness-parameters", "{\"type\":\"LIVENESS_ACTIVE\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("id").asText()).isNotEmpty();
        assertThat(call("DELETE", "/bioserver-app/v2/bio-sessions/" + session, null).status()).isEqualTo(204);
    }

    @Test
    void activeChallengeAndTheKeylessRoutesGuards() throws Exception {
        String session = session();
        // the keyed routes need the key; the capture client's do not, but only know live sessions
        assertThat(Http.get(gateway, "/bioserver-app/v3/bio-sessions/" + session + "/replay-liveness-metadata").status()).isEqualTo(401);
        assertThat(Http.get(gateway, "/bioserver-app/v2/bio-sessions/" + session + "/liveness-challenge").status()).as("not initialised").isEqualTo(404);
        assertThat(Http.get(gateway, "/bioserver-app/v2/bio-sessions/not-a-uuid/liveness-challenge").status()).isEqualTo(404);
        assertThat(call("POST", "/bioserver-app/v2/bio-sessions/" + session + "/init-liveness-parameters", "{\"type\":\"NO_LIVENESS\"}").status())
                .isEqualTo(400);
        assertThat(call("POST", "/bioserver-app/v2/bio-sessions/" + session + "/init-liveness-parameters",
                "{\"type\":\"LIVENESS_ACTIVE\",\"nbChallenge\":0}").status()).isEqualTo(400);

        Http.Answer init = call("POST", "/bioserver-app/v2/bio-sessions/" + session + "/init-liveness-parameters",
                "{\"type\":\"LIVENESS_HIGH\",\"nbChallenge\":2,\"imageRetrievalDisabled\":true}");
        assertThat(init.status()).as(init.body()).isEqualTo(200);
        assertThat(init.json().get("type").asText()).as("the deprecated name").isEqualTo("LIVENESS_ACTIVE");
        Http.Answer challenge = Http.get(gateway, "/bioserver-app/v2/bio-sessions/" + session + "/liveness-challenge");
        assertThat(challenge.json().get("actions")).hasSize(2);
        GenuineChallenge.Capture capture = GenuineChallenge.perform(gateway, challenge.json());
        Http.Answer captured = Http.post(gateway, "/bioserver-app/v2/bio-sessions/" + session + "/liveness-capture", "application/octet-stream",
                capture.bundle());
        assertThat(captured.status()).as(captured.body()).isEqualTo(200);
        assertThat(captured.json().get("decision").asText()).as(captured.body()).isEqualTo("PASS");
        JsonNode success = awaitStatus(session, "SUCCESS");
        assertThat(success.has("image")).as("imageRetrievalDisabled").isFalse();
        assertThat(CALLBACKS.poll(30, TimeUnit.SECONDS)).isEqualTo("{\"sessionId\":\"" + session + "\"}");
    }
}
