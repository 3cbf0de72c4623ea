package io.openbio.gateway.api.dis.face;

import static io.openbio.gateway.api.dis.face.DisFaceRequests.body;
import static io.openbio.gateway.api.dis.face.DisFaceRequests.id;
import static io.openbio.gateway.api.dis.face.DisFaceRequests.object;
import static io.openbio.gateway.api.dis.face.DisFaceRequests.objectField;
import static io.openbio.gateway.api.dis.face.DisFaceRequests.string;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The DIS palms ({@code /api/v1/palms}, seed 004), held by the dis-faces stage keyed by the palm id. Palms are
 * detected with MediaPipe's palm detector and hand-landmark model; no palm-recognition model exists on this
 * platform, so similarity answers errorCode PALM_TEMPLATE_MATCHING_FAILED without a score and the template 404
 * NOT_FOUND saying why; inspect answers video injection not evaluated (an uploaded image carries no capture signals).
 */
@RestController
@Tag(name = DisFaceController.TAG, description = DisFaceController.TAG_DESCRIPTION)
public class DisPalmController {
    static final String PALMS = DisApi.BASE + "/palms";
    static final String PALM = PALMS + "/{id}";
    static final Pattern PALM_LINK = Pattern.compile("^/api/v1/palms/([^/]+)$");

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public DisPalmController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    @Operation(summary = "Create a palm: detect it in the image (JSON image data, or the raw image as application/octet-stream)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.CreatePalmRequest.class)),
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The palm (id, detection with the palm"
                    + " rectangle, links), or errorCode NO_PALM_DETECTED",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.CreatePalmResponse.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "INVALID_REQUEST_BODY, INVALID_IMAGE")})
    @PipelineErrors
    @PostMapping(path = PALMS, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> createPalm(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                HttpServletRequest request) throws IOException {
        ObjectNode json = object(Bodies.read(request), Set.of("image"));
        ObjectNode image = objectField(json, "image", Set.of("data"));
        return create(tenant, DisFaceRequests.image(image, false), request.getRequestURI());
    }

    @Operation(hidden = true) // documented with createPalm: the same operation, another Content-Type
    @PipelineErrors
    @PostMapping(path = PALMS, consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> createPalmFromBytes(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                         HttpServletRequest request) throws IOException {
        byte[] image = Bodies.read(request);
        if (image.length == 0) {
            throw body("The image is required");
        }
        return create(tenant, image, request.getRequestURI());
    }

    private CompletableFuture<ResponseEntity<Object>> create(String tenant, byte[] image, String path) {
        String palm = UUID.randomUUID().toString();
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, DisContract.PALM_CREATE,
                List.of(new Part(DisContract.IMAGE_PART, null, ByteBuffer.wrap(image))), new HashMap<>(Map.of(DisContract.PALM_ID, palm)));
        return pipeline.call(Topics.DIS_FACES, envelope, palm).thenApply(result -> responses.apiResponse(result, path));
    }

    @Operation(summary = "Palm similarity: no palm-recognition model exists on this platform, so an existing palm answers errorCode"
            + " PALM_TEMPLATE_MATCHING_FAILED and no score (the request is checked as the reference describes it)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content =
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.PalmSimilarityRequest.class))))
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "errorCode PALM_TEMPLATE_MATCHING_FAILED",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.PalmSimilarity.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "INVALID_ID, INVALID_REQUEST_BODY"),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND")})
    @PipelineErrors
    @PostMapping(path = PALM + "/similarity", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> similarity(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String probe = id(id);
        ObjectNode json = object(Bodies.read(request), Set.of("referencePalm", "referencePalmTemplate"));
        String reference = string(json, "referencePalm");
        String template = string(json, "referencePalmTemplate");
        if ((reference == null) == (template == null)) {
            throw body("Exactly one of 'referencePalm' and 'referencePalmTemplate' is required");
        }
        if (reference != null) {
            var link = PALM_LINK.matcher(reference);
            if (!link.matches()) {
                throw body("'referencePalm' must be a palm link, /api/v1/palms/{id}");
            }
            id(link.group(1));
        } else {
            try {
                Base64.getDecoder().decode(template.strip());
            } catch (IllegalArgumentException e) {
                throw body("'referencePalmTemplate' is not Base64");
            }
        }
        return onPalm(tenant, DisContract.PALM_SIMILARITY, probe, request);
    }

    @Operation(summary = "Palm inspection: video injection is not evaluated (evaluated false): an uploaded image carries no capture signals")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The inspection",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.PalmInspect.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND")})
    @PipelineErrors
    @PostMapping(path = PALM + "/inspect", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> inspect(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @PathVariable("id") String id, HttpServletRequest request) {
        return onPalm(tenant, DisContract.PALM_INSPECT, id(id), request);
    }

    @Operation(summary = "Palm template: no palm-recognition model exists on this platform, so an existing palm answers 404 NOT_FOUND"
            + " saying so")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND: no such palm, or (for every"
                    + " palm) no palm-recognition model; the errorMessage says which")})
    @PipelineErrors
    @GetMapping(path = PALM + "/template", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> template(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              @PathVariable("id") String id, HttpServletRequest request) {
        return onPalm(tenant, DisContract.PALM_TEMPLATE, id(id), request);
    }

    @Operation(summary = "Delete the palm (idempotent: 204 for an unknown id too)")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "Deleted"),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "INVALID_ID")})
    @PipelineErrors
    @DeleteMapping(path = PALM)
    public CompletableFuture<ResponseEntity<Object>> delete(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                            @PathVariable("id") String id, HttpServletRequest request) {
        return onPalm(tenant, DisContract.PALM_DELETE, id(id), request);
    }

    private CompletableFuture<ResponseEntity<Object>> onPalm(String tenant, String operation, String palm, HttpServletRequest request) {
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, operation, List.of(), new HashMap<>(Map.of(DisContract.PALM_ID, palm)));
        String path = request.getRequestURI();
        return pipeline.call(Topics.DIS_FACES, envelope, palm).thenApply(result -> responses.apiResponse(result, path));
    }
}
