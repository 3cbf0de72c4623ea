package io.openbio.gateway.api.dis.customer;

import static io.openbio.gateway.api.dis.customer.CustomerRequests.customerId;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.invalidBody;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.object;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.objectField;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.onlyFields;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.string;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.Part;
import io.openbio.gateway.api.dis.DisApi;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineErrors;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
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
 * The Digital Identity Service's customers (seed 004, {@code /api/v1/customers}): create (random or the
 * client's UUIDv4), get, delete, store, and the selfie. The controller checks and forwards: every request goes
 * to the dis-customers stage on {@link Topics#DIS_CUSTOMERS} keyed by {@link DisContract#customerKey} (the
 * session id when the request has an {@code x-inn-session-token}, so a session's customers live in its task),
 * and the stage's ready-made answer is passed on. New customer ids are made here, random UUIDv4.
 */
@RestController
@Tag(name = DisCustomerController.TAG, description = DisCustomerController.TAG_DESCRIPTION)
public class DisCustomerController {
    static final String TAG = "DIS customers";
    static final String TAG_DESCRIPTION = "Digital Identity Service (seed 004, /api/v1): customers, selfie, DIS sessions, info and health";
    static final String CUSTOMERS = DisApi.BASE + "/customers";
    static final String CUSTOMER = CUSTOMERS + "/{id}";
    static final String SELFIE = CUSTOMER + "/selfie";
    static final String ID_DESCRIPTION = "The customer id, a UUID (else 400 INVALID_ID)";
    static final String TOKEN_DESCRIPTION = "A DIS session's token: a customer created with it is reachable only with it";

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public DisCustomerController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    // ---- customers ------------------------------------------------------------------------------

    @Operation(summary = "Create a customer (a random UUIDv4 id); no request body")
    @ApiResponse(responseCode = "200", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.CreateCustomerResponse.class)))
    @ApiResponse(responseCode = "401", description = "No or an invalid API key, or an x-inn-session-token of no live session; no body")
    @PipelineErrors
    @PostMapping(path = CUSTOMERS)
    public CompletableFuture<ResponseEntity<Object>> createCustomer(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                    @Parameter(description = TOKEN_DESCRIPTION)
                                                                    @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                    HttpServletRequest request) {
        return call(tenant, DisContract.CUSTOMER_CREATE, UUID.randomUUID().toString(), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "Create a customer with the client's id (a UUIDv4); no request body")
    @ApiResponse(responseCode = "200", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.CreateCustomerResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID: the id is no UUIDv4")
    @ApiResponse(responseCode = "401", description = "No or an invalid API key, or an x-inn-session-token of no live session; no body")
    @ApiResponse(responseCode = "422", description = "ALREADY_EXISTS: a customer with this id exists")
    @PipelineErrors
    @PostMapping(path = CUSTOMER)
    public CompletableFuture<ResponseEntity<Object>> createCustomerWithId(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                          @Parameter(description = TOKEN_DESCRIPTION)
                                                                          @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                          @Parameter(description = "The new customer's id, a UUIDv4") @PathVariable("id") String id,
                                                                          HttpServletRequest request) {
        String customer = customerId(id);
        if (UUID.fromString(customer).version() != 4) {
            throw new ApiException(400, "INVALID_ID", "The id must be a version 4 UUID");
        }
        return call(tenant, DisContract.CUSTOMER_CREATE, customer, token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "Get a customer: what is known of it (the selfie's age and gender from the face models; the fields read on the"
            + " document's pages (MRZ, barcodes, visual zone) and chip (DG1); the document)")
    @ApiResponse(responseCode = "200", description = "The customer", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.GetCustomerResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: unknown, deleted, expired, or created under a session whose token the request lacks")
    @PipelineErrors
    @GetMapping(path = CUSTOMER, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> getCustomer(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @Parameter(description = TOKEN_DESCRIPTION)
                                                                 @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                 @Parameter(description = ID_DESCRIPTION) @PathVariable("id") String id,
                                                                 HttpServletRequest request) {
        return call(tenant, DisContract.CUSTOMER_GET, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "Delete a customer with its selfie and everything else (idempotent: an unknown id is 204 too)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @PipelineErrors
    @DeleteMapping(path = CUSTOMER)
    public CompletableFuture<ResponseEntity<Object>> deleteCustomer(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                    @Parameter(description = TOKEN_DESCRIPTION)
                                                                    @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                    @Parameter(description = ID_DESCRIPTION) @PathVariable("id") String id,
                                                                    HttpServletRequest request) {
        return call(tenant, DisContract.CUSTOMER_DELETE, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "Store the customer (Trust Platform): its onboardingStatus and externalId are recorded with the customer",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisCustomerSchemas.CustomerStoreRequest.class))))
    @ApiResponse(responseCode = "204", description = "Stored")
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY: malformed JSON, a missing or unknown onboardingStatus,"
            + " an externalId outside ^[a-zA-Z\\d._-]{1,64}$, an unknown field")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND")
    @PipelineErrors
    @PostMapping(path = CUSTOMER + "/store")
    public CompletableFuture<ResponseEntity<Object>> store(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                           @Parameter(description = TOKEN_DESCRIPTION)
                                                           @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                           @Parameter(description = ID_DESCRIPTION) @PathVariable("id") String id,
                                                           HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        ObjectNode body = object(Bodies.read(request));
        onlyFields(body, Set.of("externalId", "onboardingStatus"), "CustomerStoreRequest");
        String status = string(body, "onboardingStatus");
        if (!"IN_PROGRESS".equals(status) && !"FINISHED".equals(status)) {
            throw invalidBody("'onboardingStatus' is required: IN_PROGRESS or FINISHED");
        }
        String externalId = string(body, "externalId");
        if (externalId != null && !CustomerRequests.EXTERNAL_ID.matcher(externalId).matches()) {
            throw invalidBody("'externalId' must match ^[a-zA-Z\\d._-]{1,64}$");
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.ONBOARDING_STATUS, status);
        if (externalId != null) {
            attributes.put(DisContract.EXTERNAL_ID, externalId);
        }
        return call(tenant, DisContract.CUSTOMER_STORE, customer, token, List.of(), attributes, request);
    }

    // ---- selfie ---------------------------------------------------------------------------------

    @Operation(summary = "Provide the customer's selfie: JSON (image.data base64, or selfieOrigin.link to a liveness record's selfie)"
            + " or the raw image as application/octet-stream. The largest face is the selfie; its age and gender are estimated",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisCustomerSchemas.CreateSelfieRequest.class)),
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponse(responseCode = "200", description = "The detection; errorCode NO_FACE_DETECTED when there is no face, warning"
            + " MULTIPLE_FACES_DETECTED when there are several", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.CreateSelfieResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY (malformed JSON, neither or both of image and selfieOrigin,"
            + " an unknown field, a link that is not this customer's liveness record selfie); INVALID_IMAGE (not base64, not an image);"
            + " DATA_DOWNLOADER_DISABLED (image.url: this platform runs offline)")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, or the liveness record the link names")
    @PipelineErrors
    @PutMapping(path = SELFIE, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> putSelfieJson(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                   @Parameter(description = TOKEN_DESCRIPTION)
                                                                   @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                   @Parameter(description = ID_DESCRIPTION) @PathVariable("id") String id,
                                                                   HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        ObjectNode body = object(Bodies.read(request));
        onlyFields(body, Set.of("image", "selfieOrigin"), "CreateSelfieRequest");
        ObjectNode image = objectField(body, "image");
        ObjectNode origin = objectField(body, "selfieOrigin");
        if ((image == null) == (origin == null)) {
            throw invalidBody("Give either 'image' or 'selfieOrigin'");
        }
        Map<String, String> attributes = new HashMap<>();
        if (origin != null) {
            onlyFields(origin, Set.of("link"), "selfieOrigin");
            attributes.put(DisContract.RECORD_ID, CustomerRequests.recordOfSelfieLink(string(origin, "link"), customer));
            return call(tenant, DisContract.SELFIE_PUT, customer, token, List.of(), attributes, request);
        }
        byte[] data = CustomerRequests.image(image);
        return call(tenant, DisContract.SELFIE_PUT, customer, token, List.of(imagePart(data)), attributes, request);
    }

    @Operation(hidden = true) // documented with putSelfieJson: the same operation, another Content-Type
    @PipelineErrors
    @PutMapping(path = SELFIE, consumes = {MediaType.APPLICATION_OCTET_STREAM_VALUE, Bodies.ANY_IMAGE}, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> putSelfieBinary(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                     @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                     @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        byte[] data = Bodies.read(request);
        if (data.length == 0) {
            throw invalidBody("The image is missing");
        }
        return call(tenant, DisContract.SELFIE_PUT, customer, token, List.of(imagePart(data)), new HashMap<>(), request);
    }

    @Operation(summary = "The selfie's face crop (JPEG, base64)")
    @ApiResponse(responseCode = "200", description = "The crop", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: no customer, or no selfie with a face")
    @PipelineErrors
    @GetMapping(path = SELFIE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> getSelfie(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                               @Parameter(description = TOKEN_DESCRIPTION)
                                                               @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                               @Parameter(description = ID_DESCRIPTION) @PathVariable("id") String id,
                                                               HttpServletRequest request) {
        return call(tenant, DisContract.SELFIE_GET, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "Delete the selfie (idempotent)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @PipelineErrors
    @DeleteMapping(path = SELFIE)
    public CompletableFuture<ResponseEntity<Object>> deleteSelfie(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                  @Parameter(description = TOKEN_DESCRIPTION)
                                                                  @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                  @Parameter(description = ID_DESCRIPTION) @PathVariable("id") String id,
                                                                  HttpServletRequest request) {
        return call(tenant, DisContract.SELFIE_DELETE, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    // ---- forwarding -----------------------------------------------------------------------------

    static Part imagePart(byte[] data) {
        return new Part(DisContract.IMAGE_PART, null, ByteBuffer.wrap(data));
    }

    /** A request about one customer, keyed by {@link DisContract#customerKey}; the stage's answer as it is. */
    private CompletableFuture<ResponseEntity<Object>> call(String tenant, String operation, String customerId, String token, List<Part> parts,
                                                           Map<String, String> attributes, HttpServletRequest request) {
        return CustomerStage.call(pipeline, responses, tenant, operation, customerId, token, parts, attributes, request);
    }
}
