package io.openbio.schemas.setup;

import io.openbio.schemas.registry.RegistryCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.Schema;

/**
 * Registers a topic's value schema (subject {@code <topic>-value}, group {@code default}) before any
 * client writes to it. The serdes would register on first use, but Apicurio Registry 2.4 can fail
 * concurrent first registrations of one schema (a unique-key race in its storage), which would fail
 * a producer's send; registering once, up front, removes the race. The content is exactly what the
 * serializers send, so they find this version instead of creating one.
 */
public final class SchemaSetup {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SchemaSetup() {
    }

    /** Registers with the credentials of the environment ({@link RegistryCredentials#fromEnvironment()}). */
    public static void register(String registryUrl, String topic, Schema schema) throws IOException, InterruptedException {
        register(registryUrl, RegistryCredentials.fromEnvironment(), topic, schema);
    }

    /** Registers {@code schema} under {@code <topic>-value}, sending {@code credentials} (the registry requires them for writes). */
    public static void register(String registryUrl, RegistryCredentials credentials, String topic, Schema schema)
            throws IOException, InterruptedException {
        String subject = topic + "-value";
        HttpRequest request = credentials.authorize(HttpRequest.newBuilder(URI.create(registryUrl + "/groups/default/artifacts?ifExists=RETURN_OR_UPDATE"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Registry-ArtifactId", URLEncoder.encode(subject, StandardCharsets.UTF_8))
                .header("X-Registry-ArtifactType", "AVRO")
                .POST(HttpRequest.BodyPublishers.ofString(schema.toString())))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("registry refused schema " + schema.getFullName() + " for " + subject + ": "
                    + response.statusCode() + " " + response.body());
        }
    }
}
