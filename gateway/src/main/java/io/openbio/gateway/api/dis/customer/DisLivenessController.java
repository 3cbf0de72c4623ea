package io.openbio.gateway.api.dis.customer;

import static io.openbio.gateway.api.dis.customer.CustomerRequests.customerId;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.invalidBody;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.object;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.objectField;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.onlyFields;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.string;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.Part;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.contract.DisContract;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * The Digital Identity Service's customer liveness and inspection (seed 004): {@code /customers/{id}/liveness...},
 * {@code /customers/{id}/inspect} and {@code /inspect/disclose}. Checks and forwards to the dis-customers stage
 * (keyed as every customer request, {@link DisContract#customerKey}); the evaluations and their scores are the
 * stage's (README "DIS liveness", "DIS inspection"). Liveness record ids are made here, random UUIDv4.
 */
@RestController
@Tag(name = DisCustomerController.TAG, description = DisCustomerController.TAG_DESCRIPTION)
public class DisLivenessController {
    static final String LIVENESS = DisCustomerController.CUSTOMER + "/liveness";
    static final Set<String> TYPES = Set.of("EYE_GAZE_LIVENESS", "PASSIVE_LIVENESS", "SMILE_LIVENESS", "MAGNIFEYE_LIVENESS");
    static final Set<String> ASSERTIONS = Set.of("EYE_GAZE_TOP_LEFT", "EYE_GAZE_TOP_RIGHT", "EYE_GAZE_BOTTOM_LEFT", "EYE_GAZE_BOTTOM_RIGHT",
            "SMILE", "NEUTRAL", "NONE");
    private static final String ID = DisCustomerController.ID_DESCRIPTION;
    private static final String TOKEN = DisCustomerController.TOKEN_DESCRIPTION;

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public DisLivenessController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    // ---- the liveness resource ------------------------------------------------------------------

    @Operation(summary = "Create (or replace) the customer's liveness; no request body")
    @ApiResponse(responseCode = "200", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisLivenessSchemas.CreateLivenessResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer")
    @PipelineErrors
    @PutMapping(path = LIVENESS, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> putLiveness(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                 @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) {
        return call(tenant, DisContract.LIVENESS_PUT, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "Delete the customer's liveness with its selfies and records (idempotent)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @PipelineErrors
    @DeleteMapping(path = LIVENESS)
    public CompletableFuture<ResponseEntity<Object>> deleteLiveness(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                    @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                    @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) {
        return call(tenant, DisContract.LIVENESS_DELETE, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "Issue an eye-gaze challenge: the four corners in a random order (EYE_GAZE_LIVENESS only); the eye-gaze"
            + " evaluation then expects the segments in this order",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisLivenessSchemas.LivenessTypeRequest.class))))
    @ApiResponse(responseCode = "200", description = "The challenge", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisLivenessSchemas.LivenessChallengeResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY (malformed, an unknown type, a type other than EYE_GAZE_LIVENESS)")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer or its liveness")
    @PipelineErrors
    @PutMapping(path = LIVENESS + "/records/challenge", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> challenge(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                               @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                               @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        return call(tenant, DisContract.LIVENESS_CHALLENGE, customer, token, List.of(), typeOf(Bodies.read(request), "LivenessChallengeRequest"), request);
    }

    // ---- selfies --------------------------------------------------------------------------------

    @Operation(summary = "Add a liveness selfie with its assertion: image.data (base64) or selfieOrigin.link to the customer's selfie",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisLivenessSchemas.CreateLivenessSelfieRequest.class))))
    @ApiResponse(responseCode = "200", description = "Kept; errorCode NO_FACE_DETECTED (not kept) when there is no face; warnings"
            + " MULTIPLE_FACES_DETECTED (the largest face is used), LOW_QUALITY (under 32 px between the eyes: passive liveness is not accurate)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisLivenessSchemas.CreateLivenessSelfieResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY (malformed JSON, a missing or unknown assertion, neither or"
            + " both of image and selfieOrigin, a link other than this customer's selfie); INVALID_IMAGE; DATA_DOWNLOADER_DISABLED (image.url)")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, its liveness, or the selfie the link names")
    @PipelineErrors
    @PostMapping(path = LIVENESS + "/selfies", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> addSelfie(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                               @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                               @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        ObjectNode body = object(Bodies.read(request));
        onlyFields(body, Set.of("image", "selfieOrigin", "assertion"), "CreateCustomerLivenessSelfieRequest");
        String assertion = string(body, "assertion");
        if (assertion == null || !ASSERTIONS.contains(assertion)) {
            throw invalidBody("'assertion' is required: one of " + String.join(", ", ASSERTIONS.stream().sorted().toList()));
        }
        ObjectNode image = objectField(body, "image");
        ObjectNode origin = objectField(body, "selfieOrigin");
        if ((image == null) == (origin == null)) {
            throw invalidBody("Give either 'image' or 'selfieOrigin'");
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.ASSERTION, assertion);
        if (origin != null) {
            onlyFields(origin, Set.of("link"), "selfieOrigin");
            String link = string(origin, "link");
            if (link == null || !link.equals(DisCustomerController.CUSTOMERS + "/" + customer + "/selfie")
                    && !link.equalsIgnoreCase(DisCustomerController.CUSTOMERS + "/" + id + "/selfie")) {
                throw invalidBody("'selfieOrigin.link' must be this customer's selfie link, /api/v1/customers/{id}/selfie");
            }
            attributes.put(DisContract.FROM_SELFIE, "true");
            return call(tenant, DisContract.LIVENESS_SELFIE_ADD, customer, token, List.of(), attributes, request);
        }
        byte[] data = CustomerRequests.image(image);
        return call(tenant, DisContract.LIVENESS_SELFIE_ADD, customer, token, List.of(part(DisContract.IMAGE_PART, data)), attributes, request);
    }

    @Operation(summary = "The liveness selfies of one liveness type (and, for MAGNIFEYE_LIVENESS, the records' selfies)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisLivenessSchemas.LivenessTypeRequest.class))))
    @ApiResponse(responseCode = "200", description = "The selfies", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisLivenessSchemas.RetrieveLivenessSelfiesResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer or its liveness")
    @PipelineErrors
    @PostMapping(path = LIVENESS + "/selfies/retrieve", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> retrieve(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                              @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        return call(tenant, DisContract.LIVENESS_SELFIES_RETRIEVE, customer, token, List.of(),
                typeOf(Bodies.read(request), "RetrieveLivenessSelfiesRequest"), request);
    }

    // ---- records --------------------------------------------------------------------------------

    @Operation(summary = "Add a liveness record: the platform's capture bundle (bundle/SPEC.md) as application/octet-stream,"
            + " with a nonce of POST /bundle/nonce (same key); evaluated at once (MAGNIFEYE_LIVENESS) and its best frame kept as"
            + " the record's selfie. A nonce already used, another tenant's, expired or unknown is a failed injection signal:"
            + " the record is kept with score 0",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "200", description = "The record's selfie detection and link; errorCode INVALID_DATA when the body is not a"
            + " readable capture bundle of this platform", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisLivenessSchemas.CreateLivenessRecordResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY (an empty body)")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer or its liveness")
    @PipelineErrors
    @PostMapping(path = LIVENESS + "/records", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> addRecord(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                               @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                               @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        byte[] data = Bodies.read(request);
        if (data.length == 0) {
            throw invalidBody("The record is missing");
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.RECORD_ID, UUID.randomUUID().toString());
        return call(tenant, DisContract.LIVENESS_RECORD_ADD, customer, token, List.of(part(DisContract.RECORD_PART, data)), attributes, request);
    }

    @Operation(summary = "A liveness record's selfie (its best frame, as captured), base64")
    @ApiResponse(responseCode = "200", description = "The image", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID (the customer or the record id is no UUID)")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, its liveness or the record")
    @PipelineErrors
    @GetMapping(path = LIVENESS + "/records/{recordId}/selfie", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> recordSelfie(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                  @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                  @Parameter(description = ID) @PathVariable("id") String id,
                                                                  @Parameter(description = "The record id, a UUID") @PathVariable("recordId") String recordId,
                                                                  HttpServletRequest request) {
        String customer = customerId(id);
        String record = DisContract.canonicalUuid(recordId);
        if (record == null) {
            throw new ApiException(400, "INVALID_ID", "The record id is not a valid UUID");
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.RECORD_ID, record);
        return call(tenant, DisContract.LIVENESS_RECORD_SELFIE, customer, token, List.of(), attributes, request);
    }

    // ---- evaluation -----------------------------------------------------------------------------

    @Operation(summary = "Evaluate the liveness: PASSIVE_LIVENESS (selfies NONE), SMILE_LIVENESS (NEUTRAL + SMILE), EYE_GAZE_LIVENESS"
            + " (4+ EYE_GAZE_* segments), MAGNIFEYE_LIVENESS (the latest record). Score 0..1; integrators reject below 0.875",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisLivenessSchemas.LivenessTypeRequest.class))))
    @ApiResponse(responseCode = "200", description = "The score, or errorCode NOT_ENOUGH_DATA / INVALID_DATA", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisLivenessSchemas.EvaluateLivenessResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer or its liveness")
    @PipelineErrors
    @PostMapping(path = LIVENESS + "/evaluation", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> evaluate(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                              @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        return call(tenant, DisContract.LIVENESS_EVALUATION, customer, token, List.of(),
                typeOf(Bodies.read(request), "EvaluateCustomerLivenessRequest"), request);
    }

    // ---- inspection -----------------------------------------------------------------------------

    @Operation(summary = "Inspect the customer: the selfie's age and gender estimates, whether its person is in every liveness selfie,"
            + " the document portrait and the chip portrait, gender consistency with the document portrait, and video injection from"
            + " the liveness records' capture signals; no request body")
    @ApiResponse(responseCode = "200", description = "The inspection", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisLivenessSchemas.InspectResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer")
    @PipelineErrors
    @PostMapping(path = DisCustomerController.CUSTOMER + "/inspect", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> inspect(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                             @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) {
        return call(tenant, DisContract.CUSTOMER_INSPECT, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "The inspection's scores: the similarity of the selfie with the document portrait and the minimum with the"
            + " liveness selfies; no request body")
    @ApiResponse(responseCode = "200", description = "The scores", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisLivenessSchemas.InspectDiscloseResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer")
    @PipelineErrors
    @PostMapping(path = DisCustomerController.CUSTOMER + "/inspect/disclose", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> disclose(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                              @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) {
        return call(tenant, DisContract.CUSTOMER_INSPECT_DISCLOSE, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    // ---- forwarding -----------------------------------------------------------------------------

    /** {@code {"type": ...}} with one of the four liveness types, as the request attribute; else 400 INVALID_REQUEST_BODY. */
    static Map<String, String> typeOf(byte[] raw, String what) {
        ObjectNode body = object(raw);
        onlyFields(body, Set.of("type"), what);
        String type = string(body, "type");
        if (type == null || !TYPES.contains(type)) {
            throw invalidBody("'type' is required: one of " + DisLivenessSchemas.TYPES);
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.LIVENESS_TYPE, type);
        return attributes;
    }

    static Part part(String name, byte[] data) {
        return new Part(name, null, ByteBuffer.wrap(data));
    }

    private CompletableFuture<ResponseEntity<Object>> call(String tenant, String operation, String customerId, String token, List<Part> parts,
                                                           Map<String, String> attributes, HttpServletRequest request) {
        return CustomerStage.call(pipeline, responses, tenant, operation, customerId, token, parts, attributes, request);
    }
}
