package io.openbio.gateway.api.system;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openbio.gateway.pipeline.PipelineHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: 200 when broker, registry and every required processor are up, else 503,
 * with the state of each component. {@code GET /metrics}: Prometheus text format (also at
 * {@code /actuator/prometheus}).
 */
@RestController
public class SystemController {
    private final PipelineHealth health;
    private final PrometheusMeterRegistry prometheus;

    public SystemController(PipelineHealth health, PrometheusMeterRegistry prometheus) {
        this.health = health;
        this.prometheus = prometheus;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Health of the server: broker, registry and every required stage")
    @ApiResponse(responseCode = "200", description = "Everything is up",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SystemSchemas.Health.class)))
    @ApiResponse(responseCode = "503", description = "A component is down (same body, status DOWN)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SystemSchemas.Health.class)))
    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> health() {
        PipelineHealth.Snapshot snapshot = health.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", snapshot.up() ? "UP" : "DOWN");
        body.put("components", snapshot.components());
        return ResponseEntity.status(snapshot.up() ? 200 : 503).body(body);
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Metrics in the Prometheus text format (openbio_license_expiration_timestamp_seconds included)")
    @ApiResponse(responseCode = "200", description = "Prometheus text exposition format 0.0.4",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
    @GetMapping(path = "/metrics")
    public ResponseEntity<String> metrics() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8"))
                .body(prometheus.scrape());
    }
}
