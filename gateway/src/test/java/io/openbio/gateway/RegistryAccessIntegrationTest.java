package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.events.DiagnosticResult;
import io.openbio.schemas.registry.LocalRegistry;
import io.openbio.schemas.registry.RegistryCredentials;
import io.openbio.schemas.serde.EventSerdes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 (trust boundaries): the schema registry answered unauthenticated admin calls (a rule
 * changed, every schema exported). Over real HTTP against the real registry process (its own,
 * started here like the local run starts it): writes and the admin API need the platform's
 * credentials, schema reads by id stay open, and the serdes, which register their schema at run
 * time, work with the credentials and fail without them.
 */
class RegistryAccessIntegrationTest {
    private static final String RULE = "{\"type\":\"COMPATIBILITY\",\"config\":\"BACKWARD\"}";

    static LocalRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start(0, Path.of("target", "it-logs", "registry-access.log"), Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static String admin() {
        return registry.url() + "/admin";
    }

    private static HttpRequest.Builder request(String url, RegistryCredentials credentials) {
        return credentials.authorize(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)));
    }

    private static int putRule(RegistryCredentials credentials) {
        return Http.send(request(admin() + "/rules/COMPATIBILITY", credentials).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(RULE)).build()).status();
    }

    private static int postRule(RegistryCredentials credentials) {
        return Http.send(request(admin() + "/rules", credentials).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RULE)).build()).status();
    }

    private static int export(RegistryCredentials credentials) {
        return Http.send(request(admin() + "/export", credentials).GET().build()).status();
    }

    private static int registerThroughCcompat(RegistryCredentials credentials) {
        return Http.send(request(registry.ccompatUrl() + "/subjects/openbio.test.access-value/versions", credentials)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"string\\\"\"}")).build()).status();
    }

    @Test
    void adminCallsWithoutCredentialsAre401() {
        assertThat(postRule(RegistryCredentials.NONE)).as("anonymous POST admin/rules").isEqualTo(401);
        assertThat(putRule(RegistryCredentials.NONE)).as("anonymous PUT admin/rules/COMPATIBILITY").isEqualTo(401);
        assertThat(export(RegistryCredentials.NONE)).as("anonymous GET admin/export").isEqualTo(401);
        assertThat(Http.send(request(admin() + "/rules", RegistryCredentials.NONE).GET().build()).status())
                .as("anonymous GET admin/rules").isEqualTo(401);
        assertThat(registerThroughCcompat(RegistryCredentials.NONE)).as("anonymous schema registration (ccompat)").isEqualTo(401);
        RegistryCredentials wrong = RegistryCredentials.of(LocalRegistry.USER, "not-" + registry.credentials().password());
        assertThat(putRule(wrong)).as("wrong password").isEqualTo(401);
        assertThat(export(wrong)).as("wrong password").isEqualTo(401);
    }

    @Test
    void thePlatformsCredentialsMayWrite() {
        int created = postRule(registry.credentials());
        assertThat(created).as("POST admin/rules (409: it exists already)").isIn(204, 409);
        assertThat(putRule(registry.credentials())).as("PUT admin/rules/COMPATIBILITY").isEqualTo(200);
        assertThat(export(registry.credentials())).as("GET admin/export").isEqualTo(200);
        assertThat(registerThroughCcompat(registry.credentials())).isEqualTo(200);
    }

    @Test
    void serdesRegisterWithCredentialsAndReadWithout() {
        String topic = "openbio.test.registry-access";
        DiagnosticResult event = new DiagnosticResult("ab".repeat(32), 7L, "png", 10, 20);

        Serde<DiagnosticResult> anonymous = EventSerdes.registry(registry.url(), RegistryCredentials.NONE).valueSerde(DiagnosticResult.class);
        assertThatThrownBy(() -> anonymous.serializer().serialize(topic, event))
                .as("a serializer registers its schema at run time: refused without credentials")
                .isInstanceOf(RuntimeException.class);

        Serde<DiagnosticResult> platform = EventSerdes.registry(registry.url(), registry.credentials()).valueSerde(DiagnosticResult.class);
        byte[] bytes = platform.serializer().serialize(topic, event);

        assertThat(anonymous.deserializer().deserialize(topic, bytes))
                .as("schema lookups by id need no credentials").isEqualTo(event);
    }
}
