package io.openbio.processors.lcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote user-details provider ({@code OPENBIO_LCP_USER_DETAILS_URL}), which replaces the built-in
 * user store when set. Protocol (README, "Liveness Check Proxy"):
 * <ul>
 * <li>{@code GET <url with {userId} replaced by the URL-encoded user id>}, headers {@code Accept: application/json}
 * and {@code X-Tenant-Id: <tenant>};</li>
 * <li>200 {@code {"userId": "...", "referenceImage": "<base64 JPEG/PNG>" | null}}: the user; without an image
 * (null, missing or empty) the user has no reference face;</li>
 * <li>404: unknown user (USER_DETAILS_MISSING);</li>
 * <li>anything else (no connection, no answer within {@code OPENBIO_LCP_USER_DETAILS_TIMEOUT_MS}, another
 * status, a body that is not that JSON, bad base64, over 16 MiB): ERROR_REMOTE (409).</li>
 * </ul>
 *
 * <p>Why the JDK's {@link HttpClient} and no library: one GET with connect and answer timeouts, TLS
 * with the JVM's trust store and HTTP/1.1 or 2 is all it needs. The callback stage's Apache client is
 * there for its address-pinning resolver (callback URLs come from callers); this URL comes from the
 * operator. The image is never logged; failures log the status or exception class only.
 */
public final class RemoteUserDetails implements References {
    public static final String SOURCE = "remote";
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(RemoteUserDetails.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String urlTemplate;
    private final Duration timeout;
    private final HttpClient client;

    public RemoteUserDetails(String urlTemplate, Duration timeout) {
        this.urlTemplate = urlTemplate;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The provider's URL for {@code userId}: the placeholder replaced by the id, percent-encoded as one path segment. */
    URI uri(String userId) {
        String encoded = URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(urlTemplate.replace(LcpSettings.USER_ID_PLACEHOLDER, encoded));
    }

    @Override
    public Reference resolve(String tenant, String userId) {
        HttpRequest request = HttpRequest.newBuilder(uri(userId)).timeout(timeout).GET()
                .header("Accept", "application/json").header("X-Tenant-Id", tenant).build();
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
        } catch (IOException e) {
            log.warn("user-details provider: {} ({})", e.getClass().getSimpleName(), e.getMessage() == null ? "" : e.getMessage());
            throw LcpFailure.remote();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LcpFailure.remote();
        }
        if (response.statusCode() == 404) {
            throw LcpFailure.userDetailsMissing();
        }
        if (response.statusCode() != 200) {
            log.warn("user-details provider answered {}", response.statusCode());
            throw LcpFailure.remote();
        }
        if (body.length > MAX_BODY_BYTES) {
            log.warn("user-details provider: answer over {} bytes", MAX_BODY_BYTES);
            throw LcpFailure.remote();
        }
        try {
            JsonNode details = JSON.readTree(body);
            if (details == null || !details.isObject()) {
                throw new IOException("not a JSON object");
            }
            JsonNode image = details.get("referenceImage");
            if (image == null || image.isNull() || (image.isTextual() && image.asText().isEmpty())) {
                return new Reference(userId, null, null, SOURCE);
            }
            if (!image.isTextual()) {
                throw new IOException("referenceImage is not a string");
            }
            return new Reference(userId, Base64.getDecoder().decode(image.asText()), null, SOURCE);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("user-details provider: unreadable answer ({})", e.getClass().getSimpleName());
            throw LcpFailure.remote();
        }
    }
}
