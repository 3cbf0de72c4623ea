package io.openbio.gateway.api.dis.face;

import static io.openbio.gateway.api.dis.face.DisFaceRequests.body;
import static io.openbio.gateway.api.dis.face.DisFaceRequests.id;
import static io.openbio.gateway.api.dis.face.DisFaceRequests.object;
import static io.openbio.gateway.api.dis.face.DisFaceRequests.objectField;
import static io.openbio.gateway.api.dis.face.DisFaceRequests.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.ApiResponse;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The DIS faces ({@code /api/v1/faces}, seed 004): a face detected in an image becomes a resource with an id
 * and a lifetime, held by the dis-faces stage ({@link Topics#DIS_FACES}, keyed by the face id: the task holding
 * the face answers every request about it). The id is made here (a random UUID) before the request leaves.
 * Similarity with {@code referenceFace} first asks the reference face's partition for its template, then the
 * probe's partition for the score; with {@code referenceFaceTemplate} the template travels in the request
 * (sealed, as every part).
 */
@RestController
@Tag(name = DisFaceController.TAG, description = DisFaceController.TAG_DESCRIPTION)
public class DisFaceController {
    static final String TAG = "DIS faces";
    static final String TAG_DESCRIPTION = "Digital Identity Service (seed 004): standalone faces and palms";
    static final String FACES = DisApi.BASE + "/faces";
    static final String FACE = FACES + "/{id}";
    static final Pattern FACE_LINK = Pattern.compile("^/api/v1/faces/([^/]+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public DisFaceController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    // ---- creation -------------------------------------------------------------------------------

    @Operation(summary = "Create a face: detect it in the image (JSON Image data, or the raw image as application/octet-stream)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.CreateFaceRequest.class)),
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The face (id, detection, links), or"
                    + " errorCode NO_FACE_DETECTED / MULTIPLE_FACES_DETECTED (STRICT), with warnings MULTIPLE_FACES_DETECTED (FREE)",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.CreateFaceResponse.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "INVALID_REQUEST_BODY, INVALID_IMAGE,"
                    + " DATA_DOWNLOADER_DISABLED (image.url: the platform downloads nothing)"),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "faceOrigin.link: no such customer image")})
    @PipelineErrors
    @PostMapping(path = FACES, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> createFace(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @RequestHeader(name = "x-inn-session-token", required = false) String sessionToken,
                                                                HttpServletRequest request) throws IOException {
        ObjectNode json = object(Bodies.read(request), Set.of("image", "detection", "faceOrigin"));
        ObjectNode image = objectField(json, "image", Set.of("data", "url"));
        ObjectNode origin = objectField(json, "faceOrigin", Set.of("link"));
        ObjectNode detection = objectField(json, "detection", Set.of("mode", "faceSizeRatio"));
        Map<String, String> attributes = new HashMap<>();
        if (detection != null) {
            String mode = string(detection, "mode");
            if (mode != null && !mode.equals("FREE") && !mode.equals("STRICT")) {
                throw body("'detection.mode' must be FREE or STRICT");
            }
            if (mode != null) {
                attributes.put(DisContract.DETECTION_MODE, mode);
            }
            ObjectNode ratio = objectField(detection, "faceSizeRatio", Set.of("min", "max"));
            if (ratio != null) {
                double min = bound(ratio, "min");
                double max = bound(ratio, "max");
                if (min >= max) {
                    throw body("'detection.faceSizeRatio.min' must be less than 'max'");
                }
                attributes.put(DisContract.FACE_SIZE_MIN, Double.toString(min));
                attributes.put(DisContract.FACE_SIZE_MAX, Double.toString(max));
            }
        }
        if (origin != null) {
            if (image != null || detection != null) {
                throw body("'faceOrigin' goes without 'image' and 'detection'");
            }
            return fromOrigin(tenant, sessionToken, string(origin, "link"), request.getRequestURI());
        }
        return create(tenant, DisFaceRequests.image(image, true), attributes, request.getRequestURI());
    }

    @Operation(hidden = true) // documented with createFace: the same operation, another Content-Type
    @PipelineErrors
    @PostMapping(path = FACES, consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> createFaceFromBytes(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                         HttpServletRequest request) throws IOException {
        byte[] image = Bodies.read(request);
        if (image.length == 0) {
            throw body("The image is required");
        }
        return create(tenant, image, new HashMap<>(), request.getRequestURI());
    }

    private static double bound(JsonNode ratio, String field) {
        JsonNode node = ratio.get(field);
        if (node == null || !node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
            throw body("'detection.faceSizeRatio." + field + "' must be a number from 0 to 1");
        }
        return node.asDouble();
    }

    private CompletableFuture<ResponseEntity<Object>> create(String tenant, byte[] image, Map<String, String> attributes, String path) {
        String face = UUID.randomUUID().toString();
        attributes.put(DisContract.FACE_ID, face);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, DisContract.FACE_CREATE,
                List.of(new Part(DisContract.IMAGE_PART, null, ByteBuffer.wrap(image))), attributes);
        return pipeline.call(Topics.DIS_FACES, envelope, face).thenApply(result -> responses.apiResponse(result, path));
    }

    /**
     * A face from a customer's image ({@code faceOrigin.link}: {@code /api/v1/customers/{id}/selfie} or
     * {@code .../document/portrait}): the dis-customers stage answers the image (sealed; keyed by the customer's key,
     * so a customer created under a DIS session needs its {@code x-inn-session-token}, else 404), then the face is
     * created from it as from an upload (the reference: no detection properties with a link).
     */
    private CompletableFuture<ResponseEntity<Object>> fromOrigin(String tenant, String sessionToken, String link, String path) {
        DisFaceLinks.CustomerImage origin = DisFaceLinks.customerImage(link);
        String session = DisContract.sessionId(sessionToken);
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.CUSTOMER_ID, origin.customerId());
        attributes.put(DisContract.IMAGE_SOURCE, origin.source());
        if (session != null) {
            attributes.put(DisContract.SESSION_ID, session);
        }
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, DisContract.CUSTOMER_IMAGE, List.of(), attributes);
        return pipeline.call(Topics.DIS_CUSTOMERS, envelope, DisContract.customerKey(origin.customerId(), session))
                .thenCompose(result -> {
                    byte[] image = DisFaceLinks.image(result);
                    if (image == null) {
                        return CompletableFuture.completedFuture(responses.apiResponse(result, path));
                    }
                    return create(tenant, image, new HashMap<>(), path);
                });
    }

    // ---- similarity -----------------------------------------------------------------------------

    @Operation(summary = "Similarity of the probe face with a reference face (its link) or a reference template (face-template's data)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content =
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.FaceSimilarityRequest.class))))
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The score, 0..1",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.Score.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "INVALID_ID, INVALID_REQUEST_BODY,"
                    + " UNSUPPORTED_VERSION_TEMPLATE (a template of another model or version), CORRUPTED_TEMPLATE (no template)"),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND: the probe or the reference face")})
    @PipelineErrors
    @PostMapping(path = FACE + "/similarity", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> similarity(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String probe = id(id);
        ObjectNode json = object(Bodies.read(request), Set.of("referenceFace", "referenceFaceTemplate"));
        String reference = string(json, "referenceFace");
        String template = string(json, "referenceFaceTemplate");
        if ((reference == null) == (template == null)) {
            throw body("Exactly one of 'referenceFace' and 'referenceFaceTemplate' is required");
        }
        String path = request.getRequestURI();
        if (template != null) {
            return score(tenant, probe, template, path);
        }
        Matcher link = FACE_LINK.matcher(reference);
        if (!link.matches()) {
            throw body("'referenceFace' must be a face link, /api/v1/faces/{id}");
        }
        String referenceId = id(link.group(1));
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, DisContract.FACE_TEMPLATE, List.of(),
                new HashMap<>(Map.of(DisContract.FACE_ID, referenceId)));
        return pipeline.call(Topics.DIS_FACES, envelope, referenceId).thenCompose(result -> {
            String data = templateData(result);
            if (data == null) {
                return CompletableFuture.completedFuture(responses.apiResponse(result, path));
            }
            return score(tenant, probe, data, path);
        });
    }

    private CompletableFuture<ResponseEntity<Object>> score(String tenant, String probe, String template, String path) {
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, DisContract.FACE_SIMILARITY,
                List.of(new Part(DisContract.TEMPLATE_PART, null, ByteBuffer.wrap(template.getBytes(StandardCharsets.UTF_8)))),
                new HashMap<>(Map.of(DisContract.FACE_ID, probe)));
        return pipeline.call(Topics.DIS_FACES, envelope, probe).thenApply(result -> responses.apiResponse(result, path));
    }

    /** The {@code data} of a face-template answer; null for an error (answered as it is). */
    static String templateData(ResultEvent result) {
        if (result.getError() != null || !(result.getPayload() instanceof ApiResponse response) || response.getStatus() != 200) {
            return null;
        }
        try {
            return JSON.readTree(response.getJson()).path("data").asText(null);
        } catch (IOException e) {
            throw new IllegalStateException("the dis-faces stage answered JSON that does not parse", e);
        }
    }

    // ---- a face's attributes --------------------------------------------------------------------

    @Operation(summary = "Face quality: 18 attributes (score 0..1, preconditionsMet; one that cannot be measured on this face is left out)"
            + " and roll, yaw, pitch (degrees) from the platform's models and documented measurements (inference/EVALUATION.md)")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The quality",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.Quality.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND")})
    @PipelineErrors
    @GetMapping(path = FACE + "/quality", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> quality(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @PathVariable("id") String id, HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_QUALITY, id, Map.of(), request);
    }

    @Operation(summary = "Glasses: no glasses-detection model exists on this platform, so an existing face answers 404 NOT_FOUND saying so")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND: no such face, or (for"
                    + " every face) no glasses model on this platform; the errorMessage says which")})
    @PipelineErrors
    @GetMapping(path = FACE + "/glasses", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> glasses(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @PathVariable("id") String id, HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_GLASSES, id, Map.of(), request);
    }

    @Operation(summary = "Face mask: no mask-detection model exists on this platform, so an existing face answers 404 NOT_FOUND saying so")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND: no such face, or (for"
                    + " every face) no face-mask model on this platform; the errorMessage says which")})
    @PipelineErrors
    @GetMapping(path = FACE + "/face-mask", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> faceMask(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              @PathVariable("id") String id, HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_MASK, id, Map.of(), request);
    }

    @Operation(summary = "The face's template: data (the platform's template, Base64) and version (\"<format>.<model number>\")")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The template",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.FaceTemplate.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND")})
    @PipelineErrors
    @GetMapping(path = FACE + "/face-template", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> template(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @PathVariable("id") String id, HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_TEMPLATE, id, Map.of(), request);
    }

    @Operation(summary = "The face's crop (JPEG, a square twice the face's height around it), resized to width and/or height")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The crop",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.ImageCrop.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "INVALID_ID, INVALID_REQUEST_PARAMETER"),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND")})
    @PipelineErrors
    @GetMapping(path = FACE + "/crop", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> crop(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                          @PathVariable("id") String id,
                                                          @Parameter(description = "width in pixels, 1 to 4096") @RequestParam(name = "width", required = false) String width,
                                                          @Parameter(description = "height in pixels, 1 to 4096") @RequestParam(name = "height", required = false) String height,
                                                          HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_CROP, id, size(width, height), request);
    }

    @Operation(summary = "The face's crop with the background removed (MediaPipe Selfie Segmentation): a PNG whose alpha is the"
            + " person probability, resized to width and/or height")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The crop (PNG with transparency)",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.ImageCrop.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "INVALID_ID, INVALID_REQUEST_PARAMETER"),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND")})
    @PipelineErrors
    @GetMapping(path = FACE + "/crop/removed-background", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> cropWithoutBackground(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                           @PathVariable("id") String id,
                                                                           @Parameter(description = "width in pixels, 1 to 4096") @RequestParam(name = "width", required = false) String width,
                                                                           @Parameter(description = "height in pixels, 1 to 4096") @RequestParam(name = "height", required = false) String height,
                                                                           HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_CROP_NO_BACKGROUND, id, size(width, height), request);
    }

    @Operation(summary = "The crop's rectangle in the image, and whether the whole crop lies inside it")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The coordinates",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.CropCoordinates.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND")})
    @PipelineErrors
    @GetMapping(path = FACE + "/crop/coordinates", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> cropCoordinates(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                     @PathVariable("id") String id, HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_CROP_COORDINATES, id, Map.of(), request);
    }

    @Operation(summary = "Age (years) and gender (fr_gender's score: 0 female .. 1 male) of the face")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The aspects",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisFaceSchemas.Aspects.class))),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "NOT_FOUND")})
    @PipelineErrors
    @GetMapping(path = FACE + "/aspects", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> aspects(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @PathVariable("id") String id, HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_ASPECTS, id, Map.of(), request);
    }

    @Operation(summary = "Delete the face (idempotent: 204 for an unknown id too)")
    @ApiResponses({
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "Deleted"),
            @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "INVALID_ID")})
    @PipelineErrors
    @DeleteMapping(path = FACE)
    public CompletableFuture<ResponseEntity<Object>> delete(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                            @PathVariable("id") String id, HttpServletRequest request) {
        return onFace(tenant, DisContract.FACE_DELETE, id, Map.of(), request);
    }

    static Map<String, String> size(String width, String height) {
        Map<String, String> size = new HashMap<>();
        int w = DisFaceRequests.side(width, "width");
        int h = DisFaceRequests.side(height, "height");
        if (w > 0) {
            size.put(DisContract.WIDTH, Integer.toString(w));
        }
        if (h > 0) {
            size.put(DisContract.HEIGHT, Integer.toString(h));
        }
        return size;
    }

    CompletableFuture<ResponseEntity<Object>> onFace(String tenant, String operation, String id, Map<String, String> extra,
                                                     HttpServletRequest request) {
        String face = id(id);
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put(DisContract.FACE_ID, face);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, operation, List.of(), attributes);
        String path = request.getRequestURI();
        return pipeline.call(Topics.DIS_FACES, envelope, face).thenApply(result -> responses.apiResponse(result, path));
    }
}
