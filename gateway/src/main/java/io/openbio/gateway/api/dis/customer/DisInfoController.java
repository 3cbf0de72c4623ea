package io.openbio.gateway.api.dis.customer;

import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.api.iad.IadProperties;
import io.openbio.gateway.pipeline.PipelineHealth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/info} and {@code GET /api/v1/health}, open (no credentials, {@link DisApi#openPaths()}).
 * The reference's ActuatorInfo describes its vendor's SDKs ({@code iface}, {@code sam}); this platform runs
 * neither, so both carry the platform's own version, and {@code iface.license} the configured licence date
 * ({@code OPENBIO_IAD_EXPIRATION_DATE}, the one {@code /api_version} reports). Health is the gateway's view of
 * the pipeline (broker, registry, stages): always 200, {@code UP} or {@code DOWN}, as the reference models it.
 */
@RestController
@Tag(name = DisCustomerController.TAG, description = DisCustomerController.TAG_DESCRIPTION)
public class DisInfoController {
    private final ObjectProvider<PipelineHealth> health;
    private final ObjectProvider<IadProperties> iad;

    public DisInfoController(ObjectProvider<PipelineHealth> health, ObjectProvider<IadProperties> iad) {
        this.health = health;
        this.iad = iad;
    }

    @Operation(summary = "Application info (no credentials)")
    @SecurityRequirements
    @ApiResponse(responseCode = "200", description = "Build, platform version and licence date", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisCustomerSchemas.ActuatorInfo.class)))
    @GetMapping(path = DisApi.BASE + "/info", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> info() {
        String version = version();
        ZonedDateTime licence = iad.getIfAvailable(() -> new IadProperties(null, null)).expirationDate().atZone(ZoneOffset.UTC);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("build", Map.of("artifact", "openbio-gateway", "name", "openbio-gateway", "group", "io.openbio", "version", version));
        body.put("iface", Map.of("version", version, "license", Map.of("year", Integer.toString(licence.getYear()),
                "month", Integer.toString(licence.getMonthValue()), "day", Integer.toString(licence.getDayOfMonth()))));
        body.put("sam", Map.of("version", version));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @Operation(summary = "Application health (no credentials): UP when broker, registry and the required stages are up")
    @SecurityRequirements
    @ApiResponse(responseCode = "200", description = "UP or DOWN", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisCustomerSchemas.Health.class)))
    @GetMapping(path = DisApi.BASE + "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> health() {
        PipelineHealth pipeline = health.getIfAvailable();
        boolean up = pipeline != null && pipeline.check().up();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("status", up ? "UP" : "DOWN"));
    }

    static String version() {
        try (InputStream in = DisInfoController.class.getResourceAsStream("/io/openbio/gateway/version.properties")) {
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
