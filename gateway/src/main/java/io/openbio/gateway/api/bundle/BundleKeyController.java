package io.openbio.gateway.api.bundle;

import io.openbio.bundle.BundleKeyStore;
import io.openbio.events.NonceIssued;
import io.openbio.gateway.config.GatewayProperties;
import io.openbio.gateway.pipeline.PipelineException;
import io.openbio.schemas.Topics;
import io.openbio.schemas.capture.CaptureNonces;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a capture client needs before it builds a bundle (see {@code bundle/SPEC.md}):
 * <ul>
 * <li>{@code GET /bundle/public-key}: the server's active key id and P-256 public key;</li>
 * <li>{@code POST /bundle/nonce}: a fresh single-use nonce for the caller's tenant
 * ({@code X-Tenant-Id}), valid for {@code openbio.bundle.nonce-ttl} (5 minutes). It is recorded
 * on {@link Topics#CAPTURE_NONCES} before it is handed out, so the nonce stage knows it.</li>
 * </ul>
 */
@RestController
public class BundleKeyController {
    private final BundleKeyStore keys;
    private final KafkaTemplate<String, NonceIssued> nonces;
    private final GatewayProperties properties;
    private final Duration ttl;

    public BundleKeyController(BundleKeyStore keys, KafkaTemplate<String, NonceIssued> nonces, GatewayProperties properties,
                               @Value("${openbio.bundle.nonce-ttl:5m}") Duration ttl) {
        this.keys = keys;
        this.nonces = nonces;
        this.properties = properties;
        this.ttl = ttl;
    }

    /** Picks up keys rotated by an operator ({@code KeyAdmin rotate}) or another instance. */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "${openbio.bundle.reload-interval:60s}")
    void reloadKeys() {
        keys.reload();
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "The server's active bundle key (capture clients encrypt to it)")
    @ApiResponse(responseCode = "200", description = "Key id, algorithm, curve and public key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BundleSchemas.PublicKey.class)))
    @GetMapping(path = "/bundle/public-key", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> publicKey() {
        return keys.publicKeyDocument();
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "A fresh single-use nonce for the caller's tenant")
    @ApiResponse(responseCode = "200", description = "The nonce and when it expires",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BundleSchemas.Nonce.class)))
    @io.openbio.gateway.web.PipelineErrors(503)
    @PostMapping(path = "/bundle/nonce", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<Map<String, Object>> nonce(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant) {
        NonceIssued issued = CaptureNonces.issue(properties.tenantOf(tenant), Instant.now(), ttl);
        return nonces.send(Topics.CAPTURE_NONCES.name(), issued.getNonce(), issued).handle((ok, error) -> {
            if (error != null) {
                throw new PipelineException(503, "the event pipeline did not accept the nonce", error);
            }
            return CaptureNonces.answer(issued);
        });
    }

}
