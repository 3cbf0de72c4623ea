package io.openbio.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * docker-compose.yml brought up by Testcontainers' compose support on the image this build wrote
 * (loaded into the Docker daemon from the tarball, tag openbio/platform:dev as compose runs it): the
 * gateway's /health answers 200 once the broker, the registry and every processor are up, and one
 * API call (a digest, through the digest and image-info stages) answers 200.
 *
 * <p>Needs Docker with Compose 2.26 or newer (volume subpaths); without Docker the class is skipped
 * and says so. With Docker: {@code docker/base/build-base.sh && mvn -B -Pimage -pl image -am
 * -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ComposeSmokeTest verify}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeTest {
    private static ComposeContainer compose;

    @BeforeAll
    static void up() throws Exception {
        Path tar = Path.of(System.getProperty("openbio.image.tar"));
        try (InputStream in = Files.newInputStream(tar)) {
            DockerClientFactory.instance().client().loadImageCmd(in).exec();
        }
        File file = Path.of(System.getProperty("openbio.root"), "docker-compose.yml").toFile();
        compose = new ComposeContainer(file)
                .withBuild(false)
                .withRemoveVolumes(true)
                .withExposedService("gateway", 8080,
                        Wait.forHttp("/health").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(8)));
        compose.start();
    }

    @Test
    void healthAndOneCall() throws Exception {
        String base = "http://" + compose.getServiceHost("gateway", 8080) + ":" + compose.getServicePort("gateway", 8080);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        byte[] payload = "openbio compose smoke test".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> digest = http.send(HttpRequest.newBuilder(URI.create(base + "/diagnostic/digest"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(digest.statusCode()).as(digest.body()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(digest.body());
        assertThat(body.at("/result/sizeBytes").asLong()).isEqualTo(payload.length);
    }

    @AfterAll
    static void down() {
        if (compose != null) {
            compose.stop();
        }
    }
}
