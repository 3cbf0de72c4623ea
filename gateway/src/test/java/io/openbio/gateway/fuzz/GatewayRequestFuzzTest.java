package io.openbio.gateway.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.openbio.gateway.WiredPlatform;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing (Jazzer) of the gateway's request parsers over real HTTP against the
 * wired platform (embedded KRaft broker, registry, every processor): the multipart bodies of
 * IDLive {@code /check} and {@code /match-over-template} (Tomcat's multipart parser and the
 * controllers' part handling, raw and structured), the JSON bodies of {@code /add-template} and
 * {@code /diagnostic/digest}, raw image bodies of {@code /generate-template}, the audit query
 * parameters and the {@code X-Tenant-Id} header; BioServer's session creation, direct face (form-data
 * and mixed), image match and init-liveness-parameters (any text as the session id); the Liveness Check
 * Proxy's {@code /liveness/verify}. Contract: every answer is below 500 — a client's
 * mistake is a 4xx in the API's format, never a server error (a 5xx or no answer is a finding).
 *
 * <p>{@code mvn verify} replays the seeds and stored findings under
 * {@code src/test/resources/io/openbio/gateway/fuzz/GatewayRequestFuzzTestInputs/requests/};
 * {@code bench/fuzz.sh 60 gateway} fuzzes it with {@code JAZZER_FUZZ=1}.
 */
class GatewayRequestFuzzTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private static final String BOUNDARY = "fuzzBoundary7MA4YWxk";
    private static int port;

    @BeforeAll
    static void up() throws Exception {
        port = WiredPlatform.get().gateway("gw-jazzer");
    }

    @FuzzTest(maxDuration = "60s")
    // (libFuzzer's dictionary is line-based: no line breaks, printable ASCII only)
    @DictionaryEntries({"--fuzzBoundary7MA4YWxk", "Content-Disposition: form-data; name=\"", "\"; filename=\"",
            "Content-Type: ", "checkModel", "face", "doc", "template", "image/jpeg", "application/json",
            "{\"operations\":[\"FACE_CHECK\"]}", "\"templates\"", "\"payload\"", "\"callbackUrl\"", "http://",
            "\"ttlSeconds\"", "\"imageType\"", "SELFIE", "ID_DOCUMENT", "\"type\"", "LIVENESS_ACTIVE", "\"nbChallenge\"", "\"userId\"",
            "\"livenessRecord\"", "multipart/mixed"})
    void requests(FuzzedDataProvider data) throws Exception {
        // Jazzer's SSRF detector: this test talks to the gateway and the platform to its broker and
        // registry, all on the loopback interface; a connection anywhere else is still a finding
        // (e.g. a fuzzed callbackUrl the callback stage would call: those are validated as http(s)
        // URLs only, see RELIABILITY.md).
        try (var allowed = com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections(
                (host, p) -> "127.0.0.1".equals(host) || "localhost".equals(host))) {
            request(data);
        }
    }

    private static void request(FuzzedDataProvider data) throws Exception {
        int endpoint = data.consumeInt(0, 11);
        String tenant = data.consumeBoolean() ? data.consumeString(80) : null;
        HttpRequest.Builder request = switch (endpoint) {
            case 0 -> post("/check?encrypted=" + data.consumeBoolean(), "multipart/form-data; boundary=" + BOUNDARY,
                    data.consumeRemainingAsBytes());
            case 1 -> post("/check?encrypted=false", "multipart/form-data; boundary=" + BOUNDARY,
                    structuredMultipart(data, new String[] {"checkModel", "face", "doc", "other"}));
            case 2 -> post("/match-over-template?encrypted=false", "multipart/form-data; boundary=" + BOUNDARY,
                    data.consumeRemainingAsBytes());
            case 3 -> post("/add-template?collection=" + query(data.consumeString(40)), "application/json",
                    data.consumeRemainingAsBytes());
            case 4 -> post("/diagnostic/digest?wait=" + data.consumeBoolean(), "application/json", data.consumeRemainingAsBytes());
            case 5 -> post("/generate-template?encrypted=false", "application/octet-stream", data.consumeRemainingAsBytes());
            // BioServer (seed 003): JSON bodies (object or array), multipart/form-data and multipart/mixed, ids in paths
            case 6 -> post("/bioserver-app/v2/bio-sessions", "application/json", data.consumeRemainingAsBytes());
            case 7 -> post("/bioserver-app/v2/faces", (data.consumeBoolean() ? "multipart/form-data" : "multipart/mixed") + "; boundary=" + BOUNDARY,
                    structuredMultipart(data, new String[] {"face", "image", "correlationId", "other"}));
            case 8 -> post("/bioserver-app/v2/match/images", "multipart/form-data; boundary=" + BOUNDARY, structuredMultipart(data,
                    new String[] {"referenceImage", "candidateImage", "referenceImageType", "candidateImageType", "imageRotationEnabled"}));
            case 9 -> post("/bioserver-app/v2/bio-sessions/" + query(data.consumeString(40)) + "/init-liveness-parameters", "application/json",
                    data.consumeRemainingAsBytes());
            // Liveness Check Proxy (seed 001)
            case 10 -> post("/liveness/verify", "application/json", data.consumeRemainingAsBytes());
            default -> HttpRequest.newBuilder(uri("/audit/records?since=" + query(data.consumeString(40)) + "&until="
                    + query(data.consumeString(40)) + "&limit=" + query(data.consumeString(12)) + "&requestId="
                    + query(data.consumeRemainingAsString()))).GET();
        };
        if (tenant != null) {
            // the JDK client refuses some header values itself: those never reach the gateway
            try {
                request.header("X-Tenant-Id", tenant);
            } catch (IllegalArgumentException e) {
                return;
            }
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new AssertionError("no answer from the gateway for endpoint " + endpoint, e);
        }
        if (response.statusCode() >= 500) {
            throw new AssertionError("endpoint " + endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** A well-formed multipart body whose parts (names, types, contents) are fuzzed. */
    private static byte[] structuredMultipart(FuzzedDataProvider data, String[] names) {
        StringBuilder text = new StringBuilder();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        int parts = data.consumeInt(0, 4);
        for (int i = 0; i < parts; i++) {
            String name = data.pickValue(names);
            boolean file = data.consumeBoolean();
            text.setLength(0);
            text.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"").append(name).append('"');
            if (file) {
                text.append("; filename=\"").append(name).append(".jpg\"");
            }
            text.append("\r\n");
            if (data.consumeBoolean()) {
                text.append("Content-Type: ").append(data.pickValue(new String[] {"image/jpeg", "application/json", "text/plain"})).append("\r\n");
            }
            text.append("\r\n");
            body.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
            body.writeBytes(data.consumeBytes(data.consumeInt(0, 4096)));
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static HttpRequest.Builder post(String path, String type, byte[] body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
