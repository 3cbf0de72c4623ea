package io.openbio.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

/**
 * A capture client of a running gateway, as the benchmarks and fault tests need one: the server's
 * bundle key ({@code GET /bundle/public-key}) once, then a fresh nonce ({@code POST /bundle/nonce})
 * and a sealed capture bundle per call; challenges ({@code POST /challenge}) for the challenge benchmark.
 */
public final class CaptureClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final PublicKey serverKey;
    private final String kid;

    public CaptureClient(String gateway) throws Exception {
        this.gateway = gateway;
        JsonNode key = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(gateway + "/bundle/public-key"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
        this.serverKey = KeyFactory.getInstance("EC").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(key.get("publicKey").asText())));
        this.kid = key.get("kid").asText();
    }

    /** A bundle of {@code photo} with a nonce just issued by the gateway; fails when no nonce is issued. */
    public byte[] freshBundle(byte[] photo) throws Exception {
        return freshBundle(photo, null);
    }

    /** The same, the nonce issued to {@code tenant} ({@code X-Tenant-Id}; null: the default tenant). */
    public byte[] freshBundle(byte[] photo, String tenant) throws Exception {
        HttpRequest.Builder ask = HttpRequest.newBuilder(URI.create(gateway + "/bundle/nonce"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody());
        if (tenant != null) {
            ask.header("X-Tenant-Id", tenant);
        }
        HttpResponse<String> nonce = http.send(ask.build(), HttpResponse.BodyHandlers.ofString());
        if (nonce.statusCode() != 200) {
            throw new IllegalStateException("nonce: HTTP " + nonce.statusCode());
        }
        return CaptureLivenessBenchmark.bundle(photo, JSON.readTree(nonce.body()).get("nonce").asText(), serverKey, kid);
    }

    /** {@code POST /challenge} with no body (the server's default k and action kinds); fails unless 200. */
    public JsonNode challenge() throws Exception {
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create(gateway + "/challenge"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (issued.statusCode() != 200) {
            throw new IllegalStateException("challenge: HTTP " + issued.statusCode());
        }
        return JSON.readTree(issued.body());
    }

    public PublicKey serverKey() {
        return serverKey;
    }

    public String kid() {
        return kid;
    }
}
