package io.openbio.gateway.api.dis.customer;

import static io.openbio.gateway.api.dis.customer.CustomerRequests.customerId;

import io.openbio.gateway.pipeline.RequestReplyClient;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The DIS customer's document inspection and the document crops other than the portrait (seed 004,
 * {@code /api/v1/customers/{id}/document/inspect}, {@code /inspect/disclose}, {@code /signature},
 * {@code /ghost-portrait}, {@code /fingerprint}). Checks and forwards to the dis-customers stage as
 * {@link DisDocumentController} does; the stage's answer is passed on (README "DIS documents").
 */
@RestController
@Tag(name = DisCustomerController.TAG, description = DisCustomerController.TAG_DESCRIPTION)
public class DisDocumentInspectionController {
    private static final String ID = DisCustomerController.ID_DESCRIPTION;
    private static final String TOKEN = DisCustomerController.TOKEN_DESCRIPTION;
    private static final String NO_LAYOUT = "NOT_FOUND: the customer, its document, or always: locating the region needs the layout"
            + " of the document's edition, and this platform has no layout template for any edition";

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public DisDocumentInspectionController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    @Operation(summary = "Inspect the customer's document: expiry, the MRZ's check digits, the visual zone's OCR confidence and its"
            + " consistency with the MRZ and barcodes, the portrait's age and gender estimates against the document, per page the"
            + " document checks (screen replay, printed copy) measured at upload, the chip's passive authentication; no request body")
    @ApiResponse(responseCode = "200", description = "The inspection", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisDocumentInspectionSchemas.DocumentInspectResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer or its document")
    @PipelineErrors
    @PostMapping(path = DisDocumentController.DOCUMENT + "/inspect", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> inspect(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                             @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) {
        return call(tenant, DisContract.DOCUMENT_INSPECT, customerId(id), token, new HashMap<>(), request);
    }

    @Operation(summary = "The document inspection's scores: per page, the document checks' scores behind the flags; no request body")
    @ApiResponse(responseCode = "200", description = "The scores", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisDocumentInspectionSchemas.DocumentInspectDiscloseResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer or its document")
    @PipelineErrors
    @PostMapping(path = DisDocumentController.DOCUMENT + "/inspect/disclose", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> disclose(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                              @Parameter(description = ID) @PathVariable("id") String id, HttpServletRequest request) {
        return call(tenant, DisContract.DOCUMENT_INSPECT_DISCLOSE, customerId(id), token, new HashMap<>(), request);
    }

    @Operation(summary = "The document's signature crop: not located on this platform (no layout template for any edition): 404")
    @ApiResponse(responseCode = "200", description = "Never answered here", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_PARAMETER (width or height not in 1..4096)")
    @ApiResponse(responseCode = "404", description = NO_LAYOUT)
    @PipelineErrors
    @GetMapping(path = DisDocumentController.DOCUMENT + "/signature", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> signature(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                               @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                               @Parameter(description = ID) @PathVariable("id") String id,
                                                               @Parameter(description = "Width, pixels (1..4096)") @RequestParam(name = "width", required = false) String width,
                                                               @Parameter(description = "Height, pixels (1..4096)") @RequestParam(name = "height", required = false) String height,
                                                               HttpServletRequest request) {
        return crop(tenant, token, id, "signature", width, height, request);
    }

    @Operation(summary = "The document's ghost portrait crop: not located on this platform (no layout template for any edition): 404")
    @ApiResponse(responseCode = "200", description = "Never answered here", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_PARAMETER (width or height not in 1..4096)")
    @ApiResponse(responseCode = "404", description = NO_LAYOUT)
    @PipelineErrors
    @GetMapping(path = DisDocumentController.DOCUMENT + "/ghost-portrait", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> ghostPortrait(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                   @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                   @Parameter(description = ID) @PathVariable("id") String id,
                                                                   @Parameter(description = "Width, pixels (1..4096)") @RequestParam(name = "width", required = false) String width,
                                                                   @Parameter(description = "Height, pixels (1..4096)") @RequestParam(name = "height", required = false) String height,
                                                                   HttpServletRequest request) {
        return crop(tenant, token, id, "ghost-portrait", width, height, request);
    }

    @Operation(summary = "The document's fingerprint crop: not located on this platform (no layout template for any edition): 404")
    @ApiResponse(responseCode = "200", description = "Never answered here", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_PARAMETER (width or height not in 1..4096)")
    @ApiResponse(responseCode = "404", description = NO_LAYOUT)
    @PipelineErrors
    @GetMapping(path = DisDocumentController.DOCUMENT + "/fingerprint", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> fingerprint(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                 @Parameter(description = ID) @PathVariable("id") String id,
                                                                 @Parameter(description = "Width, pixels (1..4096)") @RequestParam(name = "width", required = false) String width,
                                                                 @Parameter(description = "Height, pixels (1..4096)") @RequestParam(name = "height", required = false) String height,
                                                                 HttpServletRequest request) {
        return crop(tenant, token, id, "fingerprint", width, height, request);
    }

    /** The sizes are checked as for the other crops (the reference's 400), then the stage answers. */
    private CompletableFuture<ResponseEntity<Object>> crop(String tenant, String token, String id, String crop, String width, String height,
                                                           HttpServletRequest request) {
        String customer = customerId(id);
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.CROP, crop);
        if (width != null) {
            attributes.put(DisContract.WIDTH, Integer.toString(DisDocumentController.side("width", width)));
        }
        if (height != null) {
            attributes.put(DisContract.HEIGHT, Integer.toString(DisDocumentController.side("height", height)));
        }
        return call(tenant, DisContract.DOCUMENT_CROP, customer, token, attributes, request);
    }

    private CompletableFuture<ResponseEntity<Object>> call(String tenant, String operation, String customerId, String token,
                                                           Map<String, String> attributes, HttpServletRequest request) {
        return CustomerStage.call(pipeline, responses, tenant, operation, customerId, token, List.of(), attributes, request);
    }
}
