package io.openbio.gateway.api.bioserver;

import io.openbio.gateway.pipeline.PipelineHealth;
import io.openbio.gateway.web.ApiException;
import io.openbio.schemas.contract.BioServerContract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /bioserver-app/v2/capabilities} (the seed's HealthCheck / Capabilities API) and
 * {@code GET /video-server/v2/capabilities} (the same, where WebCapture integrators ask for it), answered
 * by the gateway: the mode faces are created with and the platform's version, or a 500 in the BioServer
 * error format while the instance cannot serve ("The instance is not working properly"): the broker is
 * down or the bioserver stage has no live member ({@link PipelineHealth}).
 */
@RestController
@Tag(name = "BioServer")
public class BioServerCapabilities {
    /** The platform's version (the build writes it into {@code version.properties}). */
    static final String VERSION = version();

    private final PipelineHealth health;

    public BioServerCapabilities(PipelineHealth health) {
        this.health = health;
    }

    @Operation(summary = "GetCapabilities: the modes faces are created with and the version; a health check")
    @ApiResponse(responseCode = "200", description = "The instance works",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.Capabilities.class),
                    examples = @ExampleObject(value = "{\"currentMode\":[\"F5_1_VID60\"],\"version\":\"0.1.0\"}")))
    @ApiResponse(responseCode = "500", description = "The instance is not working properly: the broker or the bioserver stage is down")
    @GetMapping(path = {BioServerApi.BASE + "/v2/capabilities", "/video-server/v2/capabilities"}, produces = MediaType.APPLICATION_JSON_VALUE)
    public BioServerSchemas.Capabilities capabilities() {
        if (!working(health.check())) {
            throw new ApiException(500, "UNAVAILABLE", "The instance is not working properly");
        }
        return new BioServerSchemas.Capabilities(List.of(BioServerRequests.CURRENT_MODE), VERSION);
    }

    /**
     * The broker answers and the bioserver stage has a live member; where the deployment does not watch
     * that stage ({@code OPENBIO_GATEWAY_REQUIRED_PROCESSORS} without it), the pipeline's health as a whole.
     */
    static boolean working(PipelineHealth.Snapshot snapshot) {
        if (!"UP".equals(snapshot.components().get("broker"))) {
            return false;
        }
        String stage = snapshot.components().get("processor:" + BioServerContract.SESSIONS.name());
        return stage == null ? snapshot.up() : "UP".equals(stage);
    }

    private static String version() {
        try (InputStream in = BioServerCapabilities.class.getResourceAsStream("/io/openbio/gateway/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            String version = properties.getProperty("version", "");
            return version.isBlank() || version.startsWith("@") ? "unknown" : version.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
