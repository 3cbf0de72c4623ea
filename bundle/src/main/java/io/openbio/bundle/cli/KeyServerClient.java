package io.openbio.bundle.cli;

import io.openbio.bundle.format.BundleFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Calls the key endpoints of a server: {@code GET /bundle/public-key}, {@code POST /bundle/nonce}, and
 * {@code POST /challenge} (a nonce with an active-liveness challenge bound to it, SPEC.md 2 and 5.2).
 */
public final class KeyServerClient {

    /** The server's active bundle key. */
    public record ServerKey(String kid, String alg, PublicKey publicKey) {}

    /** A server-issued nonce. */
    public record Nonce(String nonce, String expiresAt) {}

    /** A server-issued challenge: its nonce (= its id in format v1) and the ordered action names. */
    public record IssuedChallenge(String nonce, String challengeId, List<String> actions, String expiresAt) {
        public IssuedChallenge {
            actions = List.copyOf(actions);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String server;
    private final HttpClient http;

    public KeyServerClient(String server) {
        if (server == null || !(server.startsWith("http://") || server.startsWith("https://"))) {
            throw new IllegalArgumentException("server must be an http(s) URL, got " + server);
        }
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public ServerKey publicKey() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + "/bundle/public-key"))
                .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        return serverKey(call(request));
    }

    /**
     * The key of a {@code GET /bundle/public-key} answer (or of a Kafka client's {@code iad.public_key} result
     * body, the same JSON): checked as the server's answer is.
     */
    public static ServerKey serverKey(JsonNode json) throws IOException {
        String kid = text(json, "kid");
        String alg = text(json, "alg");
        String curve = text(json, "curve");
        if (!BundleFormat.ALG.equals(alg) || !BundleFormat.CURVE.equals(curve)) {
            throw new IOException("server key is " + alg + " on " + curve + "; this client makes "
                    + BundleFormat.ALG + " on " + BundleFormat.CURVE);
        }
        if (!BundleFormat.validKid(kid)) {
            throw new IOException("server sent an invalid kid");
        }
        return new ServerKey(kid, alg, parsePublicKey(text(json, "publicKey")));
    }

    /** An EC P-256 public key from standard base64 of its DER SubjectPublicKeyInfo, as {@code /bundle/public-key} gives it. */
    public static PublicKey parsePublicKey(String spkiBase64) throws IOException {
        try {
            byte[] der = Base64.getDecoder().decode(spkiBase64.strip());
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IOException("not an EC P-256 public key");
            }
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IOException("unusable public key: " + e.getMessage(), e);
        }
    }

    /**
     * {@code POST /challenge}: a fresh nonce with the challenge bound to it. Refuses an answer without
     * actions, or whose {@code challengeId} is not its nonce (format v1 writes one string for both).
     */
    public IssuedChallenge challenge(String tenant) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + "/challenge"))
                .timeout(TIMEOUT).header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody());
        if (tenant != null && !tenant.isBlank()) {
            request.header("X-Tenant-Id", tenant);
        }
        JsonNode json = call(request.build());
        String nonce = text(json, "nonce");
        JsonNode id = json.get("challengeId");
        String challengeId = id == null || id.isNull() ? nonce : id.asText();
        if (!challengeId.equals(nonce)) {
            throw new IOException("server's challengeId is not its nonce; format v1 binds the challenge to the nonce (SPEC.md 5.2)");
        }
        JsonNode actionsNode = json.get("actions");
        if (actionsNode == null || !actionsNode.isArray() || actionsNode.isEmpty()) {
            throw new IOException("server response has no 'actions'");
        }
        List<String> actions = new ArrayList<>();
        for (JsonNode a : actionsNode) {
            if (!a.isTextual()) {
                throw new IOException("server response has an action that is not a string");
            }
            actions.add(a.textValue());
        }
        JsonNode expires = json.get("expiresAt");
        return new IssuedChallenge(nonce, challengeId, actions, expires == null || expires.isNull() ? null : expires.asText());
    }

    /** The nonce of a {@code POST /bundle/nonce} answer (or of a Kafka client's {@code iad.nonce} result body, the same JSON). */
    public static Nonce nonce(JsonNode json) throws IOException {
        JsonNode expires = json.get("expiresAt");
        return new Nonce(text(json, "nonce"), expires == null || expires.isNull() ? null : expires.asText());
    }

    public Nonce nonce(String tenant) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + "/bundle/nonce"))
                .timeout(TIMEOUT).header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody());
        if (tenant != null && !tenant.isBlank()) {
            request.header("X-Tenant-Id", tenant);
        }
        return nonce(call(request.build()));
    }

    private JsonNode call(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + (body.isBlank() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body)));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException(request.method() + " " + request.uri() + " did not answer JSON", e);
        }
    }

    private static String text(JsonNode json, String name) throws IOException {
        JsonNode node = json == null ? null : json.get(name);
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw new IOException("server response has no '" + name + "'");
        }
        return node.textValue();
    }
}
