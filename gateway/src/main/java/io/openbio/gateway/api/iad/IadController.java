package io.openbio.gateway.api.iad;

import io.openbio.events.CaptureLivenessResult;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The IAD Server API (seed 000): capture liveness and image extraction on encrypted capture
 * bundles, through the decrypt -> nonce -> liveness processors.
 *
 * <ul>
 * <li>{@code GET /api_version}: {@code {"product":"IADServer","version":..,"expirationDate":..}};</li>
 * <li>{@code POST /check_capture_liveness} (application/octet-stream bundle):
 * {@code {"capture_liveness":{"probability":p}}}; with {@code ?debug=true} also every signal behind
 * it (an extension: clients that do not ask get exactly the seed's body);</li>
 * <li>{@code POST /extract_image}: the bundle's image as {@code image/jpeg} bytes;</li>
 * <li>errors: {@code {"timestamp","status","error","message","path","error_code"}}.</li>
 * </ul>
 */
@RestController
@Tag(name = "IAD Server", description = "Seed 000: capture liveness on encrypted capture bundles")
public class IadController {
    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;
    private final IadProperties iad;

    /** The seed's error example. */
    static final String SEED_ERROR = "{\"timestamp\":\"2222-1-30T00:30:00.000+00:00\",\"status\":400,\"error\":\"Bad Request\","
            + "\"message\":\"Failed to parse file\",\"path\":\"/check_capture_liveness\",\"error_code\":\"UNKNOWN\"}";

    public IadController(RequestReplyClient pipeline, PipelineResponses responses, IadProperties iad) {
        this.pipeline = pipeline;
        this.responses = responses;
        this.iad = iad;
    }

    @Operation(summary = "Version of the server and the licence expiration date")
    @ApiResponse(responseCode = "200", description = "Product, version and expiration date",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = IadSchemas.ApiVersion.class),
                    examples = @ExampleObject(value = "{\"product\":\"IADServer\",\"version\":\"1.7.3\",\"expirationDate\":\"2025-08-25T23:59:59Z\"}")))
    @GetMapping(path = "/api_version", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> apiVersion() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("product", "IADServer");
        body.put("version", iad.version());
        body.put("expirationDate", iad.expirationDate().toString());
        return body;
    }

    @Operation(summary = "Capture liveness probability of an encrypted capture bundle", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true, content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "200", description = "The capture's liveness probability",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = IadSchemas.CaptureLivenessResponse.class),
                    examples = @ExampleObject(value = "{\"capture_liveness\":{\"probability\":1.0}}")))
    @ApiResponse(responseCode = "400", description = "Failed to parse file (not an encrypted bundle, corrupted or empty) / Failed to read a "
            + "meta data / Failed to decrypt message (wrong key pair); error_code UNKNOWN",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = io.openbio.gateway.web.ApiError.Body.class),
                    examples = @ExampleObject(value = SEED_ERROR)))
    @io.openbio.gateway.web.PipelineErrors
    @PostMapping(path = "/check_capture_liveness", consumes = io.openbio.gateway.web.Bodies.OCTET_STREAM)
    public CompletableFuture<ResponseEntity<Object>> checkCaptureLiveness(
            @io.swagger.v3.oas.annotations.Parameter(description = "true adds the signals behind the probability (an extension of this platform)") @RequestParam(name = "debug", defaultValue = "false") boolean debug,
            @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
            HttpServletRequest request) throws IOException {
        String path = request.getRequestURI();
        return pipeline.call(Topics.CAPTURE_REQUESTS, envelope(CaptureContract.CHECK_CAPTURE_LIVENESS, tenant, request))
                .thenApply(result -> responses.render(result, path, ok -> {
                    CaptureLivenessResult capture = (CaptureLivenessResult) ok.getPayload();
                    Map<String, Object> liveness = new LinkedHashMap<>();
                    liveness.put("probability", capture.getProbability());
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("capture_liveness", liveness);
                    if (debug) {
                        body.put("debug", debug(ok, capture));
                    }
                    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
                }));
    }

    @Operation(summary = "The image of an encrypted capture bundle (image/jpeg)", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true, content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "200", description = "The bundle's image (frames of other formats re-encoded as JPEG; image/png only from a decrypt stage of an earlier version during an upgrade)",
            content = {@Content(mediaType = MediaType.IMAGE_JPEG_VALUE, schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.IMAGE_PNG_VALUE, schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "Failed to parse file / Failed to decrypt message")
    @io.openbio.gateway.web.PipelineErrors
    @PostMapping(path = "/extract_image", consumes = io.openbio.gateway.web.Bodies.OCTET_STREAM)
    public CompletableFuture<ResponseEntity<Object>> extractImage(
            @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
            HttpServletRequest request) throws IOException {
        String path = request.getRequestURI();
        return pipeline.call(Topics.CAPTURE_REQUESTS, envelope(CaptureContract.EXTRACT_IMAGE, tenant, request))
                .thenApply(result -> responses.image(result, path));
    }

    private RequestEnvelope.Builder envelope(String operation, String tenant, HttpServletRequest request) throws IOException {
        byte[] bundle = io.openbio.gateway.web.Bodies.read(request);
        if (bundle.length == 0) {
            throw new ApiException(400, "UNKNOWN", "Failed to parse file");
        }
        return pipeline.newRequest(tenant, operation, List.of(new Part("bundle", "application/octet-stream", ByteBuffer.wrap(bundle))), Map.of());
    }

    private static Map<String, Object> debug(ResultEvent result, CaptureLivenessResult capture) {
        Map<String, Object> debug = new LinkedHashMap<>();
        debug.put("request_id", result.getRequestId());
        debug.put("passive_liveness", capture.getPassiveLiveness());
        debug.put("signals", io.openbio.gateway.web.SignalsJson.of(capture.getSignals()));
        return debug;
    }
}
