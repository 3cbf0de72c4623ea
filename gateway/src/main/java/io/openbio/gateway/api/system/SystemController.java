package io.openbio.gateway.api.system;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openbio.gateway.pipeline.PipelineHealth;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> health() {
        PipelineHealth.Snapshot snapshot = health.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", snapshot.up() ? "UP" : "DOWN");
        body.put("components", snapshot.components());
        return ResponseEntity.status(snapshot.up() ? 200 : 503).body(body);
    }

    @GetMapping(path = "/metrics")
    public ResponseEntity<String> metrics() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8"))
                .body(prometheus.scrape());
    }
}
