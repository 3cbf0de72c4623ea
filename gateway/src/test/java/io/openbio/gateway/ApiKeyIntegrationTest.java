package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.gateway.security.ApiKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys per tenant (stored hashed), the products' headers, 401 / 403 in each API's format, tenant isolation. */
class ApiKeyIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static byte[] photo;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        String keys = "tenant-a:ADMIN:" + ApiKeys.sha256("admin-key-a") + ",tenant-a:USER:" + ApiKeys.sha256("user-key-a")
                + ",tenant-b:ADMIN:" + ApiKeys.sha256("admin-key-b");
        gateway = platform.gateway("gw-auth", "openbio.security.api-keys=" + keys);
        photo = CaptureClient.photo("man_a.jpg");
    }

    static Http.Answer send(String method, String path, String header, String key, String type, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + path)).timeout(Duration.ofSeconds(60));
        if (header != null) {
            b.header(header, key);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return Http.send(b.build());
    }

    @Test
    void withoutAValidKeyEveryProductAnswers401InItsOwnFormat() {
        Http.Answer idlive = send("POST", "/collections?collection=x", null, null, null, null);
        assertThat(idlive.status()).isEqualTo(401);
        assertThat(idlive.json().size()).as("IDLive body {status, message}").isEqualTo(2);

        Http.Answer iad = send("POST", "/check_capture_liveness", "x-api-key", "wrong-key", "application/octet-stream", new byte[] {1});
        assertThat(iad.status()).isEqualTo(401);
        assertThat(iad.json().get("error_code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(iad.json().get("path").asText()).isEqualTo("/check_capture_liveness");
    }

    @Test
    void openEndpointsNeedNoKey() {
        assertThat(send("GET", "/health", null, null, null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/bundle/public-key", null, null, null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/api_version", null, null, null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/v3/api-docs", null, null, null, null).status()).isEqualTo(200);
    }

    @Test
    void eachProductsHeaderIsAcceptedAndRolesAreEnforced() {
        assertThat(send("POST", "/collections?collection=auth-a", "x-api-key", "user-key-a", null, null).status())
                .as("USER may not administer collections").isEqualTo(403);
        assertThat(send("POST", "/collections?collection=auth-a", "apikey", "admin-key-a", null, null).status()).isEqualTo(201);
        Http.Answer added = send("POST", "/add-image?collection=auth-a&encrypted=false", "Authorization", "Bearer user-key-a",
                "application/octet-stream", photo);
        assertThat(added.status()).as(added.body()).isEqualTo(201);
    }

    @Test
    void tenantsAreIsolated() {
        assertThat(send("POST", "/collections?collection=shared-name", "x-api-key", "admin-key-a", null, null).status()).isEqualTo(201);
        // tenant b does not see tenant a's collection, even naming tenant a in X-Tenant-Id
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/add-image?collection=shared-name&encrypted=false"))
                .header("x-api-key", "admin-key-b").header("X-Tenant-Id", "tenant-a")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build();
        Http.Answer answer = Http.send(request);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("message").asText()).isEqualTo("Collection does not exist");
        assertThat(send("POST", "/collections?collection=shared-name", "x-api-key", "admin-key-b", null, null).status())
                .as("the same name is free for tenant b").isEqualTo(201);
    }
}
