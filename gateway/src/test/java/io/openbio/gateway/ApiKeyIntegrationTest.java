package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.gateway.security.ApiKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * API keys per tenant (stored hashed), the products' headers, 401 / 403 in each API's format, tenant
 * isolation, and the admin-only routes under every other spelling of their path (issue #13: a USER
 * key reached them through {@code /audit;x/records}, {@code /%61udit/records}, ...).
 */
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
        // the BioServer signing certificate: public by nature, and it is the key this gateway signs with
        Http.Answer certificate = send("GET", io.openbio.gateway.api.bioserver.BioServerApi.CERTIFICATE_PATH, null, null, null, null);
        assertThat(certificate.status()).isEqualTo(200);
        assertThat(certificate.body()).isEqualTo(io.openbio.schemas.crypto.SigningKeys.fromSettings().certificatePem());
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

    /**
     * A USER key never gets a 2xx from an admin-only route, however its path is spelled: the
     * firewall answers 400 (path parameters, encoded '/', '.', '\\' or ';', '//', dot segments), a
     * spelling that decodes to the admin path is authorised as that path (403), and one that names
     * no route is a 404; always in the error format of the API that owns the path ({@code ekyc}:
     * exactly {status, message}; the others: the default body with {@code error_code}).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ' ', value = {
            "GET /audit;x/records default",
            "GET /audit;jsessionid=1/records default",
            "GET /audit/records;x default",
            "GET /%61udit/records default",
            "GET /audit/%72ecords default",
            "GET /audit/records/ default",
            "GET //audit/records default",
            "GET /AUDIT/records default",
            "GET /audit%2Frecords default",
            "GET /audit%2frecords default",
            "GET /audit/./records default",
            "GET /x/../audit/records default",
            "GET /%2e/audit/records default",
            "GET /audit%5Crecords default",
            "GET /audit%3Bx/records default",
            "POST /collections;x?collection=spell-a ekyc",
            "POST /%63ollections?collection=spell-b ekyc",
            "POST /collections/?collection=spell-c ekyc",
            "POST //collections?collection=spell-d ekyc",
            "POST /collections%3Bx?collection=spell-e ekyc",
            "DELETE /collections;x?collection=a ekyc",
            "DELETE /%63ollections?collection=a ekyc",
            "DELETE /collections/remove-record;x?collection=a&recordId=r ekyc",
            "DELETE /collections/%72emove-record?collection=a&recordId=r ekyc",
            "DELETE /collections%2Fremove-record?collection=a&recordId=r ekyc",
            "DELETE /collections/./remove-record?collection=a&recordId=r ekyc"})
    void aUserKeyNeverReachesAnAdminRouteThroughAnotherSpelling(String method, String path, String format) {
        for (String header : new String[] {"x-api-key", "apikey", "Authorization"}) {
            Http.Answer answer = send(method, path, header, "user-key-a", null, null);
            assertThat(answer.status()).as(header + " " + answer.body()).isIn(400, 403, 404);
            assertThat(answer.json().get("status").asInt()).as(answer.body()).isEqualTo(answer.status());
            if (format.equals("ekyc")) {
                assertThat(answer.json().size()).as("IDLive body {status, message}: " + answer.body()).isEqualTo(2);
            } else {
                assertThat(answer.json().has("error_code")).as("default body: " + answer.body()).isTrue();
            }
        }
    }

    @Test
    void theCanonicalAdminPathsWorkWithAnAdminKeyAndAre403ForAUser() {
        Http.Answer user = send("GET", "/audit/records", "x-api-key", "user-key-a", null, null);
        assertThat(user.status()).as(user.body()).isEqualTo(403);
        assertThat(user.json().get("error_code").asText()).as("unchanged 403 body").isEqualTo("UNAUTHORIZED");
        assertThat(user.json().get("message").asText()).isEqualTo("This operation needs the ADMIN role");
        assertThat(send("GET", "/audit/records?limit=1", "x-api-key", "admin-key-a", null, null).status()).isEqualTo(200);
        Http.Answer create = send("POST", "/collections?collection=spell-admin", "x-api-key", "user-key-a", null, null);
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json().size()).as("IDLive body {status, message}").isEqualTo(2);
        assertThat(send("POST", "/collections?collection=spell-admin", "Authorization", "Bearer admin-key-a", null, null).status())
                .isEqualTo(201);
        assertThat(send("DELETE", "/collections?collection=spell-admin", "apikey", "admin-key-a", null, null).status()).isEqualTo(204);
    }

    @Test
    void withoutAKeyTheOtherSpellingsAreRefusedToo() {
        for (String path : new String[] {"/audit;x/records", "/%61udit/records", "//audit/records"}) {
            Http.Answer answer = send("GET", path, null, null, null, null);
            assertThat(answer.status()).as(path + " " + answer.body()).isIn(400, 401);
            assertThat(answer.json().has("error_code")).as(answer.body()).isTrue();
        }
    }

    @Test
    void withoutKeysConfiguredEverythingIsOpenAndTheFirewallStillRefusesOtherSpellings() {
        int open = platform.gateway("gw-no-keys");
        HttpRequest.Builder audit = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open + "/audit/records?limit=1"))
                .timeout(Duration.ofSeconds(30)).GET();
        assertThat(Http.send(audit.build()).status()).as("no key needed").isEqualTo(200);
        Http.Answer create = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open + "/collections?collection=no-keys"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(create.status()).as(create.body()).isEqualTo(201);
        Http.Answer semicolon = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open + "/collections;x?collection=no-keys-2"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(semicolon.status()).isEqualTo(400);
        assertThat(semicolon.json().size()).as("IDLive body {status, message}: " + semicolon.body()).isEqualTo(2);
    }
}
