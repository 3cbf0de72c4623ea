package io.openbio.gateway.api.bioserver;

import static io.openbio.gateway.api.bioserver.BioServerRequests.faceId;
import static io.openbio.gateway.api.bioserver.BioServerRequests.flag;
import static io.openbio.gateway.api.bioserver.BioServerRequests.imageType;
import static io.openbio.gateway.api.bioserver.BioServerRequests.invalid;
import static io.openbio.gateway.api.bioserver.BioServerRequests.object;
import static io.openbio.gateway.api.bioserver.BioServerRequests.oneOf;
import static io.openbio.gateway.api.bioserver.BioServerRequests.put;
import static io.openbio.gateway.api.bioserver.BioServerRequests.sessionId;
import static io.openbio.gateway.api.bioserver.BioServerRequests.shortText;
import static io.openbio.gateway.api.bioserver.BioServerRequests.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.api.diagnostic.CallbackUrlValidator;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.BioServerContract;
import io.openbio.schemas.json.StrictJsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
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
 * The BioServer API (seed 003, Biometric Services) under {@code /bioserver-app}: bio-sessions, their faces
 * (from an image or from an earlier Face's template), 1:few matches, and the direct operations (face, match
 * of two images, match of a template with an image, age). The controller checks and forwards: every request
 * goes to the bioserver stage on {@link Topics#BIOSERVER_REQUESTS}, a session's requests keyed by
 * {@link BioServerContract#sessionKey} (the task holding the session answers), the direct ones by request id.
 * The ids of what is created (sessions, faces) are made here, random UUIDs, so the {@code Location} is known
 * before the stage answers. Errors: {@code {"id","message"}} ({@link BioServerApi}).
 */
@RestController
@Tag(name = "BioServer") // described once, on BioServerLivenessController (two descriptions: the tag twice in the document)
public class BioServerController {
    static final String SESSIONS = BioServerApi.BASE + "/v2/bio-sessions";
    static final String SESSION = SESSIONS + "/{bioSessionId}";
    static final String FACES = SESSION + "/faces";
    static final String FACE = FACES + "/{faceId}";
    static final String MULTIPART_MIXED = "multipart/mixed";
    static final String SESSION_EXAMPLE = "0991cedc-9111-4b9d-9e4e-8d6eb4db488f";
    static final String FACE_EXAMPLE = "aa0bd6ca-1206-415b-af94-8d2c18aa9c70";

    private final RequestReplyClient pipeline;
    private final BioServerResponses responses;
    private final CallbackUrlValidator callbacks;
    private final int defaultTtl;
    private final int maxTtl;

    public BioServerController(RequestReplyClient pipeline, BioServerResponses responses, CallbackUrlValidator callbacks,
                               @Value("${openbio.bioserver.session-ttl-seconds:300}") int defaultTtl,
                               @Value("${openbio.bioserver.session-ttl-max-seconds:3600}") int maxTtl) {
        if (maxTtl < 1 || defaultTtl < 1 || defaultTtl > maxTtl) {
            throw new IllegalArgumentException("OPENBIO_BIOSERVER_SESSION_TTL_SECONDS (" + defaultTtl
                    + ") must be at least 1 and at most OPENBIO_BIOSERVER_SESSION_TTL_MAX_SECONDS (" + maxTtl + ")");
        }
        this.pipeline = pipeline;
        this.responses = responses;
        this.callbacks = callbacks;
        this.defaultTtl = defaultTtl;
        this.maxTtl = maxTtl;
    }

    // ---- bio-sessions ---------------------------------------------------------------------------

    @Operation(summary = "CreateBioSession: a bio-session; its id is in the Location header",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = {BioServerSchemas.SessionCreate.class, BioServerSchemas.SessionCreateArray.class}),
                    examples = {@ExampleObject(name = "object", value = "{\"correlationId\":\"891a6728-1ac4-11e7-93ae-92361f002671\",\"ttlSeconds\":300}"),
                        @ExampleObject(name = "the seed's array", value = "[{\"correlationId\":\"891a6728-1ac4-11e7-93ae-92361f002671\","
                                + "\"callbackURL\":\"https://service/callback\"}]")})))
    @ApiResponse(responseCode = "201", description = "Created; no body",
            headers = @Header(name = "Location", description = "/v2/bio-sessions/{bioSessionId} (the id: regex ^.*/(.*))",
                    schema = @Schema(type = "string", example = "/v2/bio-sessions/" + SESSION_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, a field of the wrong type, ttlSeconds 0 or less or above the maximum,"
            + " a callbackURL the destination policy refuses")
    @PipelineErrors
    @PostMapping(path = SESSIONS, consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> createSession(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                   HttpServletRequest request) throws IOException {
        byte[] body = Bodies.read(request);
        ObjectNode json = body.length == 0 ? StrictJsonMapper.get().createObjectNode() : object(body, "the bio-session");
        Map<String, String> attributes = new HashMap<>();
        put(attributes, BioServerContract.CORRELATION_ID, shortText(string(json, "correlationId"), "correlationId"));
        put(attributes, BioServerContract.EVIDENCE_ID, shortText(string(json, "evidenceId"), "evidenceId"));
        attributes.put(BioServerContract.IMAGE_STORAGE_ENABLED, Boolean.toString(Boolean.TRUE.equals(bool(json, "imageStorageEnabled"))));
        attributes.put(BioServerContract.TTL_SECONDS, Integer.toString(ttl(json.get("ttlSeconds"))));
        put(attributes, BioServerContract.CALLBACK_URL, callbacks.validate(tenant, string(json, "callbackURL")));
        String session = UUID.randomUUID().toString();
        attributes.put(BioServerContract.SESSION_ID, session);
        return inSession(tenant, BioServerContract.SESSION_CREATE, session, List.of(), attributes,
                result -> responses.created(result, request.getRequestURI(), "/v2/bio-sessions/" + session));
    }

    @Operation(summary = "GetBioSession")
    @ApiResponse(responseCode = "200", description = "The bio-session",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.BioSession.class)))
    @ApiResponse(responseCode = "404", description = "Session not found (unknown, expired, deleted, or no UUID)")
    @PipelineErrors
    @GetMapping(path = SESSION, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> getSession(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request) {
        return inSession(tenant, BioServerContract.SESSION_GET, sessionId(bioSessionId), request);
    }

    @Operation(summary = "DeleteBioSession: the session, its faces, images and matches")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "Session not found")
    @PipelineErrors
    @DeleteMapping(path = SESSION)
    public CompletableFuture<ResponseEntity<Object>> deleteSession(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                   @PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request) {
        return inSession(tenant, BioServerContract.SESSION_DELETE, sessionId(bioSessionId), request);
    }

    // ---- a session's faces ----------------------------------------------------------------------

    @Operation(summary = "CreateFaceFromImage (multipart/form-data or multipart/mixed) or CreateFaceFromJson (application/json: a Face"
            + " from an earlier answer, with its template); the face id is in the Location header",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = BioServerSchemas.FaceForm.class)),
                    @Content(mediaType = MULTIPART_MIXED, schema = @Schema(implementation = BioServerSchemas.FaceForm.class)),
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.Face.class))}))
    @ApiResponse(responseCode = "201", description = "Created; no body",
            headers = @Header(name = "Location", description = "/v2/bio-sessions/{bioSessionId}/faces/{faceId}",
                    schema = @Schema(type = "string", example = "/v2/bio-sessions/" + SESSION_EXAMPLE + "/faces/" + FACE_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "A missing part, malformed JSON, an unknown imageType or mode, no usable face in the"
            + " image, a template of another version, too many faces in the session")
    @ApiResponse(responseCode = "404", description = "Session not found")
    @PipelineErrors
    @PostMapping(path = FACES, consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, MULTIPART_MIXED})
    public CompletableFuture<ResponseEntity<Object>> createFace(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @PathVariable("bioSessionId") String bioSessionId,
                                                                HttpServletRequest request) throws IOException {
        String session = sessionId(bioSessionId);
        BioServerForm form = BioServerForm.read(request);
        ObjectNode face = object(form.required(BioServerContract.FACE_PART), "'face'");
        byte[] image = form.required(BioServerContract.IMAGE_PART);
        Map<String, String> attributes = faceParameters(face);
        return createInSession(tenant, BioServerContract.FACE_CREATE, session, List.of(part(BioServerContract.IMAGE_PART, image)),
                attributes, request);
    }

    @Operation(hidden = true) // documented with createFace: the same operation, another Content-Type
    @PipelineErrors
    @PostMapping(path = FACES, consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> importFace(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @PathVariable("bioSessionId") String bioSessionId,
                                                                HttpServletRequest request) throws IOException {
        String session = sessionId(bioSessionId);
        ObjectNode face = face(Bodies.read(request), "the face");
        return createInSession(tenant, BioServerContract.FACE_IMPORT, session,
                List.of(new Part(BioServerContract.FACE_PART, MediaType.APPLICATION_JSON_VALUE, ByteBuffer.wrap(BioServerRequests.bytes(face)))),
                new HashMap<>(), request);
    }

    @Operation(summary = "GetFaces: the session's faces, with their templates")
    @ApiResponse(responseCode = "200", description = "The faces",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, array = @ArraySchema(schema = @Schema(implementation = BioServerSchemas.Face.class))))
    @ApiResponse(responseCode = "404", description = "Session not found")
    @PipelineErrors
    @GetMapping(path = FACES, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> listFaces(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                               @PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request) {
        return inSession(tenant, BioServerContract.FACES_LIST, sessionId(bioSessionId), request);
    }

    @Operation(summary = "DeleteFaces: every face of the session")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "Session not found")
    @PipelineErrors
    @DeleteMapping(path = FACES)
    public CompletableFuture<ResponseEntity<Object>> deleteFaces(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @PathVariable("bioSessionId") String bioSessionId, HttpServletRequest request) {
        return inSession(tenant, BioServerContract.FACES_DELETE, sessionId(bioSessionId), request);
    }

    @Operation(summary = "GetFace")
    @ApiResponse(responseCode = "200", description = "The face, with its template",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.Face.class)))
    @ApiResponse(responseCode = "404", description = "Session not found, Face not found")
    @PipelineErrors
    @GetMapping(path = FACE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> getFace(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @PathVariable("bioSessionId") String bioSessionId, @PathVariable("faceId") String faceId,
                                                             HttpServletRequest request) {
        return onFace(tenant, BioServerContract.FACE_GET, bioSessionId, faceId, Map.of(), request);
    }

    @Operation(summary = "DeleteFace")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "Session not found, Face not found")
    @PipelineErrors
    @DeleteMapping(path = FACE)
    public CompletableFuture<ResponseEntity<Object>> deleteFace(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                @PathVariable("bioSessionId") String bioSessionId, @PathVariable("faceId") String faceId,
                                                                HttpServletRequest request) {
        return onFace(tenant, BioServerContract.FACE_DELETE, bioSessionId, faceId, Map.of(), request);
    }

    @Operation(summary = "GetFaceImage: the image the face was created from, when the session stores images")
    @ApiResponse(responseCode = "200", description = "The image", content = @Content(mediaType = MediaType.IMAGE_JPEG_VALUE,
            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "204", description = "The session does not store images (imageStorageEnabled false), or the face came from a template",
            content = @Content) // no body (springdoc would give it the produces types)
    @ApiResponse(responseCode = "400", description = "compression is not true or false")
    @ApiResponse(responseCode = "404", description = "Session not found, Face not found")
    @PipelineErrors
    @GetMapping(path = FACE + "/image", produces = {MediaType.IMAGE_JPEG_VALUE, MediaType.APPLICATION_JSON_VALUE})
    public CompletableFuture<ResponseEntity<Object>> faceImage(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                               @PathVariable("bioSessionId") String bioSessionId, @PathVariable("faceId") String faceId,
                                                               @Parameter(description = "true: the image re-encoded as JPEG (smaller); default false")
                                                               @RequestParam(name = "compression", required = false) String compression,
                                                               HttpServletRequest request) {
        Boolean compressed = flag(compression, "compression");
        String session = sessionId(bioSessionId);
        Map<String, String> attributes = new HashMap<>();
        attributes.put(BioServerContract.SESSION_ID, session);
        attributes.put(BioServerContract.FACE_ID, faceId(faceId));
        attributes.put(BioServerContract.COMPRESSION, Boolean.toString(Boolean.TRUE.equals(compressed)));
        return inSession(tenant, BioServerContract.FACE_IMAGE, session, List.of(), attributes,
                result -> responses.image(result, request.getRequestURI()));
    }

    @Operation(summary = "GetMatches: the reference face against every other face of the session, best score first")
    @ApiResponse(responseCode = "200", description = "The matches, best score first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, array = @ArraySchema(schema = @Schema(implementation = BioServerSchemas.Match.class))))
    @ApiResponse(responseCode = "404", description = "Session not found, Face not found")
    @PipelineErrors
    @GetMapping(path = FACE + "/matches", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> matches(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @PathVariable("bioSessionId") String bioSessionId, @PathVariable("faceId") String faceId,
                                                             HttpServletRequest request) {
        return onFace(tenant, BioServerContract.MATCHES, bioSessionId, faceId, Map.of(), request);
    }

    // ---- direct operations (no session) ---------------------------------------------------------

    @Operation(summary = "CreateDirectFaceFromImage: a face with its template, kept nowhere",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = BioServerSchemas.DirectFaceForm.class)),
                    @Content(mediaType = MULTIPART_MIXED, schema = @Schema(implementation = BioServerSchemas.DirectFaceForm.class))}))
    @ApiResponse(responseCode = "200", description = "The face, with its template",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.Face.class)))
    @ApiResponse(responseCode = "400", description = "A missing part, malformed JSON, an unknown imageType or mode, no usable face")
    @PipelineErrors
    @PostMapping(path = BioServerApi.BASE + "/v2/faces", consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, MULTIPART_MIXED},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> directFace(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                HttpServletRequest request) throws IOException {
        BioServerForm form = BioServerForm.read(request);
        ObjectNode face = object(form.required(BioServerContract.FACE_PART), "'face'");
        byte[] image = form.required(BioServerContract.IMAGE_PART);
        boolean signatureDisabled = Boolean.TRUE.equals(flag(face, "signatureDisabled"));
        // its id: the request id (the stage's choice; a direct face is kept nowhere)
        Map<String, String> attributes = faceParameters(face);
        ids(form, attributes);
        return direct(tenant, BioServerContract.DIRECT_FACE, List.of(part(BioServerContract.IMAGE_PART, image)), attributes,
                signatureDisabled, request);
    }

    @Operation(summary = "Images match: a reference image against a candidate image",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = BioServerSchemas.MatchImagesForm.class)),
                    @Content(mediaType = MULTIPART_MIXED, schema = @Schema(implementation = BioServerSchemas.MatchImagesForm.class))}))
    @ApiResponse(responseCode = "200", description = "One match (faces without templates, no expires)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.Match.class)))
    @ApiResponse(responseCode = "400", description = "A missing image or type, an unknown type, no usable face in an image")
    @PipelineErrors
    @PostMapping(path = BioServerApi.BASE + "/v2/match/images", consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, MULTIPART_MIXED},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> matchImages(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 HttpServletRequest request) throws IOException {
        BioServerForm form = BioServerForm.read(request);
        byte[] reference = form.required(BioServerContract.REFERENCE_IMAGE_PART);
        byte[] candidate = form.required(BioServerContract.CANDIDATE_IMAGE_PART);
        Map<String, String> attributes = new HashMap<>();
        attributes.put(BioServerContract.REFERENCE_IMAGE_TYPE, imageType(form.text("referenceImageType"), "referenceImageType"));
        attributes.put(BioServerContract.CANDIDATE_IMAGE_TYPE, imageType(form.text("candidateImageType"), "candidateImageType"));
        put(attributes, BioServerContract.IMAGE_ROTATION_ENABLED, flag(form.text("imageRotationEnabled"), "imageRotationEnabled"));
        ids(form, attributes);
        return direct(tenant, BioServerContract.MATCH_IMAGES, List.of(part(BioServerContract.REFERENCE_IMAGE_PART, reference),
                part(BioServerContract.CANDIDATE_IMAGE_PART, candidate)), attributes, false, request);
    }

    @Operation(summary = "Match: a reference Face (from POST /v2/faces or GET .../faces/{faceId}, with its template) against a candidate image",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = BioServerSchemas.MatchForm.class)),
                    @Content(mediaType = MULTIPART_MIXED, schema = @Schema(implementation = BioServerSchemas.MatchForm.class))}))
    @ApiResponse(responseCode = "200", description = "One match",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.Match.class)))
    @ApiResponse(responseCode = "400", description = "A missing part, malformed referenceFace, a template of another version, an unknown"
            + " candidateImageType, no usable face in the candidate image")
    @PipelineErrors
    @PostMapping(path = BioServerApi.BASE + "/v2/match", consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, MULTIPART_MIXED},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> match(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                           HttpServletRequest request) throws IOException {
        BioServerForm form = BioServerForm.read(request);
        byte[] candidate = form.required(BioServerContract.CANDIDATE_IMAGE_PART);
        ObjectNode reference = face(form.required("referenceFace"), "'referenceFace'");
        Map<String, String> attributes = new HashMap<>();
        attributes.put(BioServerContract.CANDIDATE_IMAGE_TYPE, imageType(form.text("candidateImageType"), "candidateImageType"));
        put(attributes, BioServerContract.IMAGE_ROTATION_ENABLED, flag(form.text("imageRotationEnabled"), "imageRotationEnabled"));
        ids(form, attributes);
        return direct(tenant, BioServerContract.MATCH, List.of(part(BioServerContract.CANDIDATE_IMAGE_PART, candidate),
                        new Part(BioServerContract.FACE_PART, MediaType.APPLICATION_JSON_VALUE, ByteBuffer.wrap(BioServerRequests.bytes(reference)))),
                attributes, false, request);
    }

    @Operation(summary = "createDirectAgeFromImage (beta): the estimated age and whether it reaches the threshold",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = BioServerSchemas.AgeForm.class)),
                    @Content(mediaType = MULTIPART_MIXED, schema = @Schema(implementation = BioServerSchemas.AgeForm.class))}))
    @ApiResponse(responseCode = "200", description = "The estimation (no face: aboveThreshold and ageEstimated left out, quality negative)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BioServerSchemas.Age.class)))
    @ApiResponse(responseCode = "400", description = "A missing part, malformed age JSON, no integer threshold (0 to 150), an unknown imageType")
    @PipelineErrors
    @PostMapping(path = BioServerApi.BASE + "/v2/ages", consumes = {MediaType.MULTIPART_FORM_DATA_VALUE, MULTIPART_MIXED},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> ages(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                          HttpServletRequest request) throws IOException {
        BioServerForm form = BioServerForm.read(request);
        byte[] image = form.required(BioServerContract.IMAGE_PART);
        ObjectNode age = object(form.required("age"), "'age'");
        Map<String, String> attributes = new HashMap<>();
        attributes.put(BioServerContract.THRESHOLD, Integer.toString(threshold(age.get("threshold"))));
        put(attributes, BioServerContract.IMAGE_TYPE, oneOf(string(age, "imageType"), BioServerRequests.AGE_IMAGE_TYPES, "imageType"));
        put(attributes, BioServerContract.IMAGE_ROTATION_ENABLED, flag(age, "imageRotationEnabled"));
        boolean signatureDisabled = Boolean.TRUE.equals(flag(age, "signatureDisabled"));
        ids(form, attributes);
        return direct(tenant, BioServerContract.AGES, List.of(part(BioServerContract.IMAGE_PART, image)), attributes, signatureDisabled, request);
    }

    // ---- calls ----------------------------------------------------------------------------------

    private CompletableFuture<ResponseEntity<Object>> inSession(String tenant, String operation, String session, HttpServletRequest request) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(BioServerContract.SESSION_ID, session);
        return inSession(tenant, operation, session, List.of(), attributes, result -> responses.json(result, request.getRequestURI(), false));
    }

    private CompletableFuture<ResponseEntity<Object>> onFace(String tenant, String operation, String bioSessionId, String faceId,
                                                             Map<String, String> extra, HttpServletRequest request) {
        String session = sessionId(bioSessionId);
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put(BioServerContract.SESSION_ID, session);
        attributes.put(BioServerContract.FACE_ID, faceId(faceId));
        return inSession(tenant, operation, session, List.of(), attributes, result -> responses.json(result, request.getRequestURI(), false));
    }

    /** A new face in {@code session}: its id made here, 201 + Location. */
    private CompletableFuture<ResponseEntity<Object>> createInSession(String tenant, String operation, String session, List<Part> parts,
                                                                      Map<String, String> attributes, HttpServletRequest request) {
        String face = UUID.randomUUID().toString();
        attributes.put(BioServerContract.SESSION_ID, session);
        attributes.put(BioServerContract.FACE_ID, face);
        return inSession(tenant, operation, session, parts, attributes,
                result -> responses.created(result, request.getRequestURI(), "/v2/bio-sessions/" + session + "/faces/" + face));
    }

    /** A request about one session, keyed by it. */
    private CompletableFuture<ResponseEntity<Object>> inSession(String tenant, String operation, String session, List<Part> parts,
                                                                Map<String, String> attributes,
                                                                Function<ResultEvent, ResponseEntity<Object>> answer) {
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, operation, parts, attributes);
        return pipeline.call(Topics.BIOSERVER_REQUESTS, envelope, BioServerContract.sessionKey(session)).thenApply(answer);
    }

    /** A direct operation, keyed by its request id. */
    private CompletableFuture<ResponseEntity<Object>> direct(String tenant, String operation, List<Part> parts, Map<String, String> attributes,
                                                            boolean signatureDisabled, HttpServletRequest request) {
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, operation, parts, attributes);
        String path = request.getRequestURI();
        return pipeline.call(Topics.BIOSERVER_REQUESTS, envelope).thenApply(result -> responses.json(result, path, signatureDisabled));
    }

    // ---- request checks -------------------------------------------------------------------------

    private static Part part(String name, byte[] data) {
        return new Part(name, null, ByteBuffer.wrap(data));
    }

    /** The face part's parameters (imageType required, mode, friendlyName, imageRotationEnabled) as attributes. */
    private static Map<String, String> faceParameters(ObjectNode face) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(BioServerContract.IMAGE_TYPE, imageType(string(face, "imageType"), "imageType"));
        put(attributes, BioServerContract.MODE, oneOf(string(face, "mode"), BioServerRequests.MODES, "mode"));
        put(attributes, BioServerContract.FRIENDLY_NAME, shortText(string(face, "friendlyName"), "friendlyName"));
        put(attributes, BioServerContract.IMAGE_ROTATION_ENABLED, flag(face, "imageRotationEnabled"));
        return attributes;
    }

    /**
     * A Face JSON with its template (CreateFaceFromJson, Match's referenceFace): an object (or a one-element
     * array) with a non-empty string {@code template}; {@code templateVersion} a whole number and
     * {@code imageType} / {@code mode} known values when given. The stage checks the template itself.
     */
    static ObjectNode face(byte[] json, String what) {
        ObjectNode face = object(json, what);
        String template = string(face, "template");
        if (template == null || template.isBlank()) {
            throw invalid(what + ": 'template' is required");
        }
        JsonNode version = face.get("templateVersion");
        if (version != null && !version.isNull() && !version.canConvertToInt()) {
            throw invalid(what + ": 'templateVersion' must be a whole number");
        }
        oneOf(string(face, "imageType"), BioServerContract.IMAGE_TYPES, "imageType");
        oneOf(string(face, "mode"), BioServerRequests.MODES, "mode");
        shortText(string(face, "friendlyName"), "friendlyName");
        return face;
    }

    /** correlationId and evidenceId, text parts (or files holding the value). */
    private static void ids(BioServerForm form, Map<String, String> attributes) {
        put(attributes, BioServerContract.CORRELATION_ID, shortText(form.text("correlationId"), "correlationId"));
        put(attributes, BioServerContract.EVIDENCE_ID, shortText(form.text("evidenceId"), "evidenceId"));
    }

    /** ttlSeconds: absent (or null) is the default; else a whole number from 1 to the maximum. */
    int ttl(JsonNode node) {
        if (node == null || node.isNull()) {
            return defaultTtl;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid("'ttlSeconds' must be a whole number of seconds");
        }
        long ttl = node.longValue();
        if (ttl < 1 || ttl > maxTtl) {
            throw invalid("'ttlSeconds' must be from 1 to " + maxTtl);
        }
        return (int) ttl;
    }

    /** The age threshold: a whole number from 0 to 150 (a JSON number, or a string of digits). */
    static int threshold(JsonNode node) {
        if (node == null || node.isNull()) {
            throw invalid("'threshold' is required");
        }
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else if (node.isTextual() && node.asText().strip().matches("\\d{1,3}")) {
            value = Long.parseLong(node.asText().strip());
        } else {
            throw invalid("'threshold' must be a whole number");
        }
        if (value < 0 || value > 150) {
            throw invalid("'threshold' must be from 0 to 150");
        }
        return (int) value;
    }

    private static Boolean bool(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw invalid("'" + field + "' must be true or false");
        }
        return node.booleanValue();
    }
}
