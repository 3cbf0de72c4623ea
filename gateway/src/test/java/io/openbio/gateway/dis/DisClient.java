package io.openbio.gateway.dis;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A Digital Identity Service (seed 004) client for the tests: real HTTP, {@code Authorization: Bearer},
 * optional {@code x-inn-session-token}, and every answer validated against the reference document
 * {@code dis/dis-1.52.0-openapi.json} (test resources, the 1.52.0 file a DIS client is generated from) with
 * Atlassian's swagger-request-validator: a status the operation does not declare, a Content-Type it does not
 * declare, a body its schema refuses (missing required field, wrong type, value outside an enum) fails.
 *
 * <pre>{@code
 * DisClient dis = new DisClient(port, "key");
 * String id = dis.post("/api/v1/customers").expect(200).json().get("id").asText();
 * dis.putJson("/api/v1/customers/" + id + "/selfie", "{\"image\":{\"data\":\"...\"}}").expect(200);
 * }</pre>
 */
public final class DisClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The reference, read once; its server base path ({@code /identity}) is overridden: the platform serves {@code /api/v1} at the root. */
    public static final OpenApiInteractionValidator REFERENCE = OpenApiInteractionValidator
            .createForInlineApiSpecification(reference()).withBasePathOverride("/").build();
    /** "METHOD path-template status" of every answer validated in this JVM (for coverage assertions). */
    public static final Set<String> VALIDATED = new ConcurrentSkipListSet<>();

    private final int port;
    private final String token;
    private final String sessionToken;

    public DisClient(int port, String token) {
        this(port, token, null);
    }

    private DisClient(int port, String token, String sessionToken) {
        this.port = port;
        this.token = token;
        this.sessionToken = sessionToken;
    }

    /** The same client sending {@code x-inn-session-token: sessionToken} on every call. */
    public DisClient withSession(String sessionToken) {
        return new DisClient(port, token, sessionToken);
    }

    /** The same client with another bearer token (null: none). */
    public DisClient withToken(String otherToken) {
        return new DisClient(port, otherToken, sessionToken);
    }

    public Call get(String path) {
        return send(builder(path).GET(), "GET", path);
    }

    public Call delete(String path) {
        return send(builder(path).DELETE(), "DELETE", path);
    }

    /** POST with no body and no Content-Type (as real integrators send body-less operations). */
    public Call post(String path) {
        return send(builder(path).POST(HttpRequest.BodyPublishers.noBody()), "POST", path);
    }

    /** PUT with no body and no Content-Type. */
    public Call put(String path) {
        return send(builder(path).PUT(HttpRequest.BodyPublishers.noBody()), "PUT", path);
    }

    public Call postJson(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)), "POST", path);
    }

    public Call putJson(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)), "PUT", path);
    }

    public Call postBytes(String path, byte[] body) {
        return send(builder(path).header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                "POST", path);
    }

    public Call putBytes(String path, byte[] body) {
        return send(builder(path).header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
                "PUT", path);
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (sessionToken != null) {
            b.header("x-inn-session-token", sessionToken);
        }
        return b;
    }

    private static Call send(HttpRequest.Builder request, String method, String path) {
        try {
            return new Call(method, path, HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One answer, not yet checked. */
    public record Call(String method, String path, HttpResponse<byte[]> response) {
        public int status() {
            return response.statusCode();
        }

        public String body() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        /** Asserts {@code status} and that the answer is valid against the reference; returns this for reading. */
        public Call expect(int status) {
            String body = body();
            String what = method + " " + path + " -> " + status() + " " + response.headers().firstValue("Content-Type").orElse("(no type)")
                    + " " + (body.length() > 600 ? body.substring(0, 600) + "..." : body);
            assertThat(status()).as(what).isEqualTo(status);
            String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            ValidationReport report = REFERENCE.validateResponse(rawPath, Request.Method.valueOf(method), simple(response));
            assertThat(report.hasErrors()).as("%s\ndoes not match dis-1.52.0-openapi.json:\n%s", what, messages(report)).isFalse();
            VALIDATED.add(method + " " + rawPath.replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "{id}")
                    + " " + status);
            return this;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body(), e);
            }
        }

        /** The {@code errorCode} of an ErrorResponse (or of a 200 body that carries one), or null. */
        public String errorCode() {
            JsonNode code = json().get("errorCode");
            return code == null ? null : code.asText();
        }
    }

    private static SimpleResponse simple(HttpResponse<byte[]> response) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach(builder::withHeader);
        response.headers().firstValue("Content-Type").ifPresent(builder::withContentType);
        if (response.body().length > 0) {
            builder.withBody(response.body());
        }
        return builder.build();
    }

    private static String messages(ValidationReport report) {
        StringBuilder out = new StringBuilder();
        report.getMessages().forEach(m -> out.append("  ").append(m.getLevel()).append(' ').append(m.getKey()).append(": ")
                .append(m.getMessage()).append('\n'));
        return out.toString();
    }

    private static String reference() {
        try (InputStream in = DisClient.class.getResourceAsStream("/dis/dis-1.52.0-openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("dis/dis-1.52.0-openapi.json is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
