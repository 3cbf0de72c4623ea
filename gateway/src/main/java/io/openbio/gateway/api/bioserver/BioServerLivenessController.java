package io.openbio.gateway.api.bioserver;

import static io.openbio.gateway.api.bioserver.BioServerRequests.flag;
import static io.openbio.gateway.api.bioserver.BioServerRequests.invalid;
import static io.openbio.gateway.api.bioserver.BioServerRequests.object;
import static io.openbio.gateway.api.bioserver.BioServerRequests.oneOf;
import static io.openbio.gateway.api.bioserver.BioServerRequests.put;
import static io.openbio.gateway.api.bioserver.BioServerRequests.sessionId;
import static io.openbio.gateway.api.bioserver.BioServerRequests.shortText;
import static io.openbio.gateway.api.bioserver.BioServerRequests.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.bundle.BundleKeyStore;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.api.diagnostic.CallbackUrlValidator;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.BioServerContract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The BioServer's replay liveness (seed 003, "Replay Challenge"): {@code init-liveness-parameters}, the
 * parameters again ({@code liveness-parameters}, the seed's getLivenessParameters), the v3
 * {@code replay-liveness-metadata} (signature detached), the integrators' {@code liveness-challenge-result}
 * and {@code /video-server/init-liveness-session}; and the two platform routes of the capture client (the
 * capture page {@code /capture/?bioSession=<id>} or the CLI), which need no API key: the session id (a random
 * UUID the integrator hands to its end user's device) is their credential, as the seed's device calls carry
 * none. Every request goes to the bioserver stage keyed by the session, which runs it (README, "BioServer
 * replay liveness").
 */
@RestController
@Tag(name = "BioServer", description = "Seed 003: bio-sessions, faces, 1:few and 1:1 matches, age estimation, replay liveness")
public class BioServerLivenessController {
    static final String SESSION = BioServerController.SESSION;
    static final String V3_METADATA = BioServerApi.BASE + "/v3/bio-sessions/{bioSessionId}/replay-liveness-metadata";
    static final String CHALLENGE = SESSION + "/liveness-challenge";
    static final String CAPTURE = SESSION + "/liveness-capture";
    /** The seed's types; LIVENESS_HIGH is its deprecated name of LIVENESS_ACTIVE. */
    static final List<String> TYPES = List.of("LIVENESS_ACTIVE", "LIVENESS_PASSIVE", "LIVENESS_PASSIVE_VIDEO", "LIVENESS_HIGH");
    static final List<String> LEVELS = List.of("LOW", "MEDIUM", "HIGH");

    private final RequestReplyClient pipeline;
    private final BioServerResponses responses;
    private final PipelineResponses plain;
    private final BundleKeyStore bundleKeys;
    private final CallbackUrlValidator callbacks;
    private final int defaultTtl;

    public BioServerLivenessController(RequestReplyClient pipeline, BioServerResponses responses, PipelineResponses plain,
                                       BundleKeyStore bundleKeys, CallbackUrlValidator callbacks,
                                       @Value("${openbio.bioserver.session-ttl-seconds:300}") int defaultTtl) {
        this.pipeline = pipeline;
        this.responses = responses;
        this.plain = plain;
        this.bundleKeys = bundleKeys;
        this.callbacks = callbacks;
        this.defaultTtl = defaultTtl;
    }

    @Operation(summary = "initLivenessParameters: the replay liveness of a bio-session (one per session)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = {BioServerSchemas.LivenessInit.class, BioServerSchemas.LivenessInitArray.class}),
                    examples = {@ExampleObject(name = "passive video", value = "{\"type\":\"LIVENESS_PASSIVE_VIDEO\",\"securityLevel\":\"HIGH\",\"id\":\"replay-id\"}"),
                        @ExampleObject(name = "active", value = "[{\"type\":\"LIVENESS_ACTIVE\",\"securityLevel\":\"HIGH\",\"nbChallenge\":2,"
                                + "\"imageRetrievalDisabled\":false}]")})))
    @ApiResponse(responseCode = "200", description = "The parameters: seed, serverRandom, the capture-encryption certificate, signature first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.LivenessParameters.class)))
    @ApiResponse(responseCode = "400", description = "A type, securityLevel or nbChallenge the seed does not allow (NO_LIVENESS and LIVENESS_MEDIUM"
            + " are no longer supported), malformed JSON")
    @ApiResponse(responseCode = "404", description = "Session not found")
    @ApiResponse(responseCode = "409", description = "The session's replay liveness already started (create a new bio-session)")
    @PipelineErrors
    @PostMapping(path = SESSION + "/init-liveness-parameters", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> init(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                          @PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request)
            throws IOException {
        String session = sessionId(bioSessionId);
        Map<String, String> attributes = livenessAttributes(object(Bodies.read(request), "the liveness parameters"));
        return inSession(tenant, BioServerContract.LIVENESS_INIT, session, List.of(), attributes,
                result -> responses.json(result, request.getRequestURI(), BioServerResponses.Signing.FIRST, this::withCertificates));
    }

    @Operation(summary = "getLivenessParameters: init-liveness-parameters' answer again (the seed names the call without documenting it)")
    @ApiResponse(responseCode = "200", description = "The parameters",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.LivenessParameters.class)))
    @ApiResponse(responseCode = "404", description = "Session not found, or no replay liveness initialised in it")
    @PipelineErrors
    @GetMapping(path = SESSION + "/liveness-parameters", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> parameters(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request) {
        return inSession(tenant, BioServerContract.LIVENESS_PARAMETERS, sessionId(bioSessionId), List.of(), new HashMap<>(),
                result -> responses.json(result, request.getRequestURI(), BioServerResponses.Signing.FIRST, this::withCertificates));
    }

    @Operation(summary = "getReplayStatus (v3): the replay liveness' status, and on SUCCESS the best image and its landmarks")
    @ApiResponse(responseCode = "200", description = "INITIALIZED, IN_PROGRESS, SUCCESS, FAILED, SPOOF, ERROR or TIMEOUT; signature detached"
            + " (header..signature: the payload is this answer less signature, pretty-printed with CRLF)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.ReplayMetadata.class)))
    @ApiResponse(responseCode = "404", description = "Session not found, or no replay liveness initialised in it")
    @PipelineErrors
    @GetMapping(path = V3_METADATA, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> metadata(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              @PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request) {
        return inSession(tenant, BioServerContract.REPLAY_METADATA, sessionId(bioSessionId), List.of(), new HashMap<>(),
                result -> responses.json(result, request.getRequestURI(), BioServerResponses.Signing.FIRST_DETACHED, o -> o));
    }

    @Operation(summary = "Integrators' route (not in seed 003): the liveness outcome as livenessStatus, bestImageId (the face made from the best"
            + " frame in the session: GET .../faces/{bestImageId}/image) and diagnostic")
    @ApiResponse(responseCode = "200", description = "The outcome",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.ChallengeResult.class)))
    @ApiResponse(responseCode = "404", description = "Session not found, or no replay liveness initialised in it")
    @PipelineErrors
    @GetMapping(path = SESSION + "/liveness-challenge-result", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> challengeResult(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                     @PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request) {
        return inSession(tenant, BioServerContract.CHALLENGE_RESULT, sessionId(bioSessionId), List.of(), new HashMap<>(),
                result -> responses.json(result, request.getRequestURI(), false));
    }

    @Operation(summary = "Integrators' route (not in seed 003): a bio-session prepared for liveness in one call; its id is in Location",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.InitLivenessSession.class),
                    examples = @ExampleObject(value = "{\"livenessMode\":\"LIVENESS_PASSIVE_VIDEO\",\"correlationId\":\"c-1\",\"callbackURL\":\"https://sp.example/cb\"}"))))
    @ApiResponse(responseCode = "201", description = "Created; the session's replay liveness is INITIALIZED",
            headers = @Header(name = "Location", description = "/v2/bio-sessions/{bioSessionId}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "A livenessMode, numberOfChallenge or securityLevel the seed does not allow, a refused callbackURL")
    @PipelineErrors
    @PostMapping(path = "/video-server/init-liveness-session", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> initLivenessSession(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                         HttpServletRequest request) throws IOException {
        ObjectNode json = object(Bodies.read(request), "the liveness session");
        ObjectNode init = json.objectNode();
        copy(json, "livenessMode", init, "type");
        copy(json, "numberOfChallenge", init, "nbChallenge");
        copy(json, "securityLevel", init, "securityLevel");
        Map<String, String> liveness = livenessAttributes(init);
        Map<String, String> attributes = new HashMap<>();
        put(attributes, BioServerContract.CORRELATION_ID, shortText(string(json, "correlationId"), "correlationId"));
        put(attributes, BioServerContract.EVIDENCE_ID, shortText(string(json, "evidenceId"), "evidenceId"));
        attributes.put(BioServerContract.IMAGE_STORAGE_ENABLED, "true");
        attributes.put(BioServerContract.TTL_SECONDS, Integer.toString(defaultTtl));
        put(attributes, BioServerContract.CALLBACK_URL, callbacks.validate(tenant, string(json, "callbackURL")));
        String session = UUID.randomUUID().toString();
        String path = request.getRequestURI();
        return call(tenant, BioServerContract.SESSION_CREATE, session, List.of(), attributes)
                .thenCompose(created -> created.getError() != null
                        ? CompletableFuture.completedFuture(created)
                        : call(tenant, BioServerContract.LIVENESS_INIT, session, List.of(), liveness))
                .thenApply(result -> responses.created(result, path, "/v2/bio-sessions/" + session, 200));
    }

    // ---- the capture client's two calls (no API key) ---------------------------------------------

    @Operation(summary = "Platform route for the capture client: the session's challenge (POST /challenge's shape, plus type); no API key",
            description = "The capture page (/capture/?bioSession=<id>) or the CLI asks what to film. LIVENESS_ACTIVE: nbChallenge actions;"
                    + " the passive types: none (a few seconds of the face). The nonce is the session id's 32 hex digits.")
    @ApiResponse(responseCode = "200", description = "The challenge")
    @ApiResponse(responseCode = "404", description = "Unknown or expired session, no replay liveness initialised, or its capture already sent")
    @PipelineErrors
    @GetMapping(path = CHALLENGE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> challenge(@PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request) {
        return inSession(null, BioServerContract.LIVENESS_CHALLENGE, sessionId(bioSessionId), List.of(), new HashMap<>(),
                result -> responses.json(result, request.getRequestURI(), BioServerResponses.Signing.NONE, o -> o));
    }

    @Operation(summary = "Platform route for the capture client: the session's capture bundle (bundle/SPEC.md); no API key",
            description = "Verified as POST /challenge/verify verifies a capture (decrypt, nonce, challenge-verify) and answered the same way;"
                    + " the session's replay liveness ends with it (GET .../replay-liveness-metadata, the callback).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "200", description = "The verification (POST /challenge/verify's answer)")
    @ApiResponse(responseCode = "404", description = "Unknown or expired session, no replay liveness initialised, or its capture already sent")
    @PipelineErrors
    @PostMapping(path = CAPTURE, consumes = Bodies.OCTET_STREAM, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> capture(@PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request)
            throws IOException {
        String session = sessionId(bioSessionId);
        byte[] bundle = Bodies.read(request);
        if (bundle.length == 0) {
            throw invalid("the capture bundle is missing");
        }
        return inSession(null, BioServerContract.LIVENESS_CAPTURE, session,
                List.of(new Part(BioServerContract.BUNDLE_PART, Bodies.OCTET_STREAM, ByteBuffer.wrap(bundle))), new HashMap<>(),
                result -> plain.apiResponse(result, request.getRequestURI()));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** init-liveness-parameters' fields as request attributes, checked against the seed. */
    static Map<String, String> livenessAttributes(ObjectNode json) {
        String type = string(json, "type");
        if (type == null) {
            throw invalid("'type' is required");
        }
        if (type.equals("NO_LIVENESS") || type.equals("LIVENESS_MEDIUM")) {
            throw invalid("'type' " + type + " is not supported anymore");
        }
        oneOf(type, TYPES, "type");
        Map<String, String> attributes = new HashMap<>();
        attributes.put(BioServerContract.LIVENESS_TYPE, type.equals("LIVENESS_HIGH") ? "LIVENESS_ACTIVE" : type);
        put(attributes, BioServerContract.SECURITY_LEVEL, oneOf(string(json, "securityLevel"), LEVELS, "securityLevel"));
        JsonNode nb = json.get("nbChallenge");
        if (nb != null && !nb.isNull()) {
            if (!nb.isIntegralNumber() || nb.asLong() < 1 || nb.asLong() > 8) {
                throw invalid("'nbChallenge' must be a whole number from 1 to 8");
            }
            attributes.put(BioServerContract.NB_CHALLENGE, Long.toString(nb.asLong()));
        }
        put(attributes, BioServerContract.IMAGE_RETRIEVAL_DISABLED, flag(json, "imageRetrievalDisabled"));
        put(attributes, BioServerContract.REPLAY_ID, shortText(string(json, "id"), "id"));
        return attributes;
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        if (from.has(field)) {
            to.set(as, from.get(field));
        }
    }

    /** The capture-encryption certificate (the bundle key store's active key, DER, base64), as the seed's {@code certificates}. */
    private ObjectNode withCertificates(ObjectNode parameters) {
        ArrayNode certificates = parameters.putArray("certificates");
        certificates.add(Base64.getEncoder().encodeToString(bundleKeys.activeCertificate()));
        return parameters;
    }

    private CompletableFuture<ResponseEntity<Object>> inSession(String tenant, String operation, String session, List<Part> parts,
                                                                Map<String, String> attributes,
                                                                Function<ResultEvent, ResponseEntity<Object>> answer) {
        return call(tenant, operation, session, parts, attributes).thenApply(answer);
    }

    /** A request about one session, keyed by it (null tenant: the default one, for the capture client's keyless calls). */
    private CompletableFuture<ResultEvent> call(String tenant, String operation, String session, List<Part> parts, Map<String, String> attributes) {
        attributes.put(BioServerContract.SESSION_ID, session);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, operation, parts, attributes);
        return pipeline.call(Topics.BIOSERVER_REQUESTS, envelope, BioServerContract.sessionKey(session));
    }
}
