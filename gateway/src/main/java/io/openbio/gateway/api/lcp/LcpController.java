package io.openbio.gateway.api.lcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.api.challenge.ChallengeSchemas;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.json.StrictJsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Liveness Check Proxy API (seed 001): {@code POST /liveness/init}, {@code POST /liveness/verify}
 * (image style) and the users' reference faces ({@code /admin/users/{userId}/reference}, ADMIN). Every
 * request goes to the lcp-verify stage on {@link Topics#LCP_REQUESTS}, which holds the user store and
 * answers; this controller only checks and forwards what the caller sent. Errors: the seed's envelope
 * ({@link LcpApi}).
 */
@RestController
@Tag(name = "Liveness Check Proxy", description = "Seed 001: liveness verification of a user against the user's reference face")
public class LcpController {
    /** The longest user id taken (the seed gives none; it travels in keys and audit lines). */
    static final int MAX_USER_ID = 256;
    static final Set<String> INITIATION_TYPES = Set.of("TOKEN", "NONE");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public LcpController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    @Operation(summary = "Initiate liveness verification of a user",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpSchemas.InitRequest.class),
                            examples = @ExampleObject(value = "{\"userId\":\"user1\"}"))))
    @ApiResponse(responseCode = "200", description = "The initiation: NONE (image style) with a null reference, or TOKEN (token style) with the"
            + " verification token in reference",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpSchemas.InitResponse.class),
                    examples = {@ExampleObject(name = "image style", value = "{\"initiationType\":\"NONE\",\"reference\":null}"),
                        @ExampleObject(name = "token style", value = "{\"initiationType\":\"TOKEN\",\"reference\":\"" + TOKEN_EXAMPLE + "\"}")}))
    @ApiResponse(responseCode = "400", description = "ERROR_REQUEST (no or a blank userId, malformed JSON, an initiationType not TOKEN or NONE), USER_DETAILS_MISSING, "
            + "INITIATION_ERROR (the user has no reference face), USER_NOT_ENROLLED (the reference image holds no single usable face)")
    @ApiResponse(responseCode = "409", description = "ERROR_REMOTE: the user-details provider failed")
    @PipelineErrors
    @PostMapping(path = "/liveness/init", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> init(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                          HttpServletRequest request) throws IOException {
        JsonNode body = json(Bodies.read(request));
        String userId = userId(body.get("userId"));
        String type = text(body.get("initiationType"), "initiationType");
        if (type != null && !INITIATION_TYPES.contains(type)) {
            throw invalid("'initiationType' must be TOKEN or NONE.");
        }
        Map<String, String> attributes = type == null ? Map.of() : Map.of("initiationType", type);
        return call(tenant, LcpContract.INIT, userId, List.of(), attributes, request.getRequestURI());
    }

    @Operation(summary = "Verify liveness of a user against the user's reference face",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpSchemas.VerifyRequest.class),
                            examples = @ExampleObject(value = "{\"userId\":\"user1\",\"livenessRecord\":{\"image\":\"c2VsZmllSW1hZ2U=\"}}"))))
    @ApiResponse(responseCode = "200", description = "ACCEPTED only when the probe is live, free of injection signals and the user's face"
            + " (token style: the token's challenge passed and its best frame is live and the user's face)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpSchemas.VerifyResponse.class),
                    examples = @ExampleObject(value = "{\"result\":\"ACCEPTED\",\"selfie\":null}")))
    @ApiResponse(responseCode = "400", description = "ERROR_REQUEST (no userId, no image, bad base64, not an image or a readable capture bundle), "
            + "USER_DETAILS_MISSING, VERIFICATION_ERROR (the user has no reference face; token style: an unknown token, another user's,"
            + " a used one, or no capture done for it), USER_NOT_ENROLLED")
    @ApiResponse(responseCode = "409", description = "ERROR_REMOTE: the user-details provider failed")
    @PipelineErrors
    @PostMapping(path = "/liveness/verify", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> verify(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                            HttpServletRequest request) throws IOException {
        JsonNode body = json(Bodies.read(request));
        String userId = userId(body.get("userId"));
        JsonNode record = body.get("livenessRecord");
        if (record != null && !record.isNull() && !record.isObject()) {
            throw invalid("'livenessRecord' must be an object.");
        }
        String image = record == null ? null : text(record.get("image"), "livenessRecord.image");
        String reference = record == null ? null : text(record.get("reference"), "livenessRecord.reference");
        List<Part> parts = new ArrayList<>();
        if (image != null && !image.isEmpty()) {
            parts.add(new Part("image", null, ByteBuffer.wrap(base64(image, "livenessRecord.image"))));
        }
        Map<String, String> attributes = new HashMap<>();
        if (reference != null && !reference.isEmpty()) {
            attributes.put("reference", reference);
        }
        if (parts.isEmpty() && attributes.isEmpty()) {
            throw invalid("'livenessRecord.image' is required.");
        }
        // token style (a token and no image): keyed by the token, so the task holding its session answers
        String key = parts.isEmpty() && isToken(reference) ? reference : null;
        return call(tenant, LcpContract.VERIFY_OPERATION, userId, parts, attributes, key, request.getRequestURI());
    }

    static final String TOKEN_EXAMPLE = "46a0c1fba98b9a1cae88353ae8279503";

    @Operation(summary = "Platform addition (token style): the active-liveness challenge of a verification token",
            description = "The capture client (the page /capture/?token=T or the CLI) asks for the challenge it is to film. Needs no API key:"
                    + " the token, from POST /liveness/init, is the end user's credential. Same shape as POST /challenge's answer; the nonce is the token.")
    @ApiResponse(responseCode = "200", description = "The challenge: nonce (= the token), actions and prompts, when it expires",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ChallengeSchemas.Issued.class),
                    examples = @ExampleObject(value = "{\"nonce\":\"" + TOKEN_EXAMPLE + "\",\"challengeId\":\"" + TOKEN_EXAMPLE + "\","
                            + "\"actions\":[\"TURN_LEFT\",\"SMILE\",\"CLOSE_EYES\"],\"prompts\":[\"Turn your head to your left\",\"Smile\","
                            + "\"Close both eyes, then open them\"],\"seed\":\"3q2-7wAAAAA8cN1eFyJ4mQ\",\"issuedAt\":\"2026-12-02T09:00:00Z\","
                            + "\"expiresAt\":\"2026-12-02T09:05:00Z\"}")))
    @ApiResponse(responseCode = "404", description = "ERROR_NOT_FOUND: not a token (32 lowercase hex characters), or unknown, expired, used or already captured")
    @PipelineErrors
    @GetMapping(path = "/liveness/challenge/{token}", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> tokenChallenge(@PathVariable("token") String token, HttpServletRequest request) {
        return callByToken(LcpContract.CHALLENGE_GET, token(token), List.of(), request.getRequestURI());
    }

    @Operation(summary = "Platform addition (token style): the capture bundle of a verification token's challenge",
            description = "The capture client posts the capture bundle (bundle/SPEC.md, with the challenge member) filmed for the token's"
                    + " challenge. Needs no API key (the token is the credential). It is verified as POST /challenge/verify verifies a capture"
                    + " (decrypt, nonce, challenge-verify) and answered the same way; POST /liveness/verify with the token then decides.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "200", description = "The challenge decision (PASS / SPOOF / FAILED / TIMEOUT / ERROR) with its evidence",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ChallengeSchemas.Verification.class)))
    @ApiResponse(responseCode = "400", description = "ERROR_REQUEST: an empty body, a bundle that cannot be parsed or decrypted, a nonce refused")
    @ApiResponse(responseCode = "404", description = "ERROR_NOT_FOUND: not a token, or unknown, expired, used or already captured")
    @PipelineErrors
    @PostMapping(path = "/liveness/capture/{token}", consumes = Bodies.OCTET_STREAM, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> tokenCapture(@PathVariable("token") String token, HttpServletRequest request)
            throws IOException {
        String checked = token(token);
        byte[] bundle = Bodies.read(request);
        if (bundle.length == 0) {
            throw invalid("the capture bundle is missing.");
        }
        return callByToken(LcpContract.CAPTURE, checked,
                List.of(new Part("bundle", Bodies.OCTET_STREAM, ByteBuffer.wrap(bundle))), request.getRequestURI());
    }

    /**
     * The two device calls: keyed by the token; under the default tenant (no key, and the caller's
     * X-Tenant-Id is not taken: the stage works under the token's own tenant), so anonymous calls
     * count against the default tenant's quota only.
     */
    private CompletableFuture<ResponseEntity<Object>> callByToken(String operation, String token, List<Part> parts, String path) {
        RequestEnvelope.Builder envelope = pipeline.newRequest(null, operation, parts, Map.of("token", token));
        return pipeline.call(Topics.LCP_REQUESTS, envelope, token).thenApply(result -> responses.apiResponse(result, path));
    }

    /** The verification token's form: 32 lowercase hex characters. */
    static boolean isToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /** A path's token; anything else is 404, as an unknown token (never published). */
    static String token(String token) {
        if (!isToken(token)) {
            throw new ApiException(404, "ERROR_NOT_FOUND", "Unknown, expired or used verification token.");
        }
        return token;
    }

    @Operation(summary = "Store a user's reference face (ADMIN); the user becomes known to init and verify",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpSchemas.ReferenceUpload.class))}))
    @ApiResponse(responseCode = "200", description = "Stored: the reference's metadata (never the image)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpSchemas.Reference.class)))
    @ApiResponse(responseCode = "400", description = "ERROR_REQUEST: no image, not a JPEG/PNG, not exactly one usable face, bad base64; "
            + "or the built-in user store is off (OPENBIO_LCP_USER_DETAILS_URL is set)")
    @PipelineErrors
    @PutMapping(path = "/admin/users/{userId}/reference", consumes = {Bodies.ANY_IMAGE, Bodies.OCTET_STREAM, MediaType.APPLICATION_JSON_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> putReference(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                  @PathVariable("userId") String userId,
                                                                  HttpServletRequest request) throws IOException {
        String user = userId(userId);
        byte[] body = Bodies.read(request);
        String type = request.getContentType() == null ? "" : request.getContentType();
        byte[] image = MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(type.isEmpty() ? Bodies.OCTET_STREAM : type))
                ? uploaded(json(body)) : body;
        if (image.length == 0) {
            throw invalid("the reference image is missing.");
        }
        return call(tenant, LcpContract.REFERENCE_PUT, user, List.of(new Part("image", null, ByteBuffer.wrap(image))), Map.of(),
                request.getRequestURI());
    }

    @Operation(summary = "A user's reference face: metadata only, never the image (ADMIN)")
    @ApiResponse(responseCode = "200", description = "The reference's metadata",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LcpSchemas.Reference.class)))
    @ApiResponse(responseCode = "400", description = "ERROR_REQUEST: a bad userId, or the built-in user store is off")
    @ApiResponse(responseCode = "404", description = "ERROR_NOT_FOUND: no reference face for the user")
    @PipelineErrors
    @GetMapping(path = "/admin/users/{userId}/reference", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> getReference(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                  @PathVariable("userId") String userId, HttpServletRequest request) {
        return call(tenant, LcpContract.REFERENCE_GET, userId(userId), List.of(), Map.of(), request.getRequestURI());
    }

    @Operation(summary = "Remove a user's reference face; the user stays known (init: INITIATION_ERROR) (ADMIN)")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "400", description = "ERROR_REQUEST: a bad userId, or the built-in user store is off")
    @ApiResponse(responseCode = "404", description = "ERROR_NOT_FOUND: no reference face for the user")
    @PipelineErrors
    @DeleteMapping(path = "/admin/users/{userId}/reference")
    public CompletableFuture<ResponseEntity<Object>> deleteReference(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                     @PathVariable("userId") String userId, HttpServletRequest request) {
        return call(tenant, LcpContract.REFERENCE_DELETE, userId(userId), List.of(), Map.of(), request.getRequestURI());
    }

    @Operation(summary = "Forget a user: its details and reference face leave the user store (ADMIN)")
    @ApiResponse(responseCode = "204", description = "Forgotten (init: USER_DETAILS_MISSING)")
    @ApiResponse(responseCode = "400", description = "ERROR_REQUEST: a bad userId, or the built-in user store is off")
    @ApiResponse(responseCode = "404", description = "ERROR_NOT_FOUND: the user store does not know the user")
    @PipelineErrors
    @DeleteMapping(path = "/admin/users/{userId}")
    public CompletableFuture<ResponseEntity<Object>> deleteUser(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @PathVariable("userId") String userId, HttpServletRequest request) {
        return call(tenant, LcpContract.USER_DELETE, userId(userId), List.of(), Map.of(), request.getRequestURI());
    }

    private CompletableFuture<ResponseEntity<Object>> call(String tenant, String operation, String userId, List<Part> parts,
                                                           Map<String, String> extra, String path) {
        return call(tenant, operation, userId, parts, extra, null, path);
    }

    private CompletableFuture<ResponseEntity<Object>> call(String tenant, String operation, String userId, List<Part> parts,
                                                           Map<String, String> extra, String key, String path) {
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put("userId", userId);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, operation, parts, attributes);
        CompletableFuture<io.openbio.events.ResultEvent> result = key == null ? pipeline.call(Topics.LCP_REQUESTS, envelope)
                : pipeline.call(Topics.LCP_REQUESTS, envelope, key);
        return result.thenApply(answer -> responses.apiResponse(answer, path));
    }

    // ---- request checks ---------------------------------------------------------------------------

    static ApiException invalid(String what) {
        return new ApiException(400, "ERROR_REQUEST", "Invalid request parameters: " + what);
    }

    static JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw invalid("the request body is empty.");
        }
        JsonNode node;
        try {
            node = StrictJsonMapper.get().readTree(body);
        } catch (IOException e) {
            throw invalid("the request body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw invalid("the request body must be a JSON object.");
        }
        return node;
    }

    /** A user id: a non-blank string of at most {@value #MAX_USER_ID} characters without control characters. */
    static String userId(JsonNode node) {
        if (node == null || node.isNull()) {
            throw invalid("'userId' is required.");
        }
        if (!node.isTextual()) {
            throw invalid("'userId' must be a string.");
        }
        return userId(node.asText());
    }

    static String userId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw invalid("'userId' is required.");
        }
        if (userId.length() > MAX_USER_ID || userId.chars().anyMatch(Character::isISOControl)) {
            throw invalid("'userId' must be at most " + MAX_USER_ID + " characters, without control characters.");
        }
        return userId;
    }

    private static String text(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid("'" + name + "' must be a string.");
        }
        return node.asText();
    }

    static byte[] base64(String text, String name) {
        try {
            return Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw invalid("'" + name + "' is not valid base64.");
        }
    }

    private static byte[] uploaded(JsonNode body) {
        String image = text(body.get("image"), "image");
        if (image == null || image.isEmpty()) {
            throw invalid("'image' is required.");
        }
        return base64(image, "image");
    }
}
