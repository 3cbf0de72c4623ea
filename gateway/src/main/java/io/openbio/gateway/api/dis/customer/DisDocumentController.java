package io.openbio.gateway.api.dis.customer;

import static io.openbio.gateway.api.dis.customer.CustomerRequests.customerId;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.invalidBody;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.object;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.objectField;
import static io.openbio.gateway.api.dis.customer.CustomerRequests.onlyFields;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The DIS customer's document (seed 004, {@code /api/v1/customers/{id}/document...}): the document with the
 * client's advice, its pages (card corners, normalised page, quality, portrait). Checks and forwards to the
 * dis-customers stage as {@link DisCustomerController} does; the stage's answer is passed on.
 */
@RestController
@Tag(name = DisCustomerController.TAG, description = DisCustomerController.TAG_DESCRIPTION)
public class DisDocumentController {
    static final String DOCUMENT = DisCustomerController.CUSTOMER + "/document";
    static final Set<String> SOURCES = Set.of(DisDocumentSchemas.SOURCES);
    static final Set<String> PAGE_TYPES = Set.of("front", "back");
    static final Set<String> MRTDS = Set.of("td1", "td2", "td3");
    /** An advice value: a short word (they are comma-joined on their way to the stage). */
    static final Pattern ADVICE_VALUE = Pattern.compile("^[A-Za-z0-9._ -]{1,64}$");
    static final int MAX_SIDE = 4096;
    private static final String ID = DisCustomerController.ID_DESCRIPTION;
    private static final String TOKEN = DisCustomerController.TOKEN_DESCRIPTION;
    private static final String PAGE_TYPE = "The page type: front or back";

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public DisDocumentController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    // ---- document -------------------------------------------------------------------------------

    @Operation(summary = "Create the customer's document with the client's advice (expected types, countries, editions, MRZ types) and"
            + " sources (which parts of each page are read: VIZ, MRZ, BARCODE, DOCUMENT_PORTRAIT, GLOBAL_OCR; none: all); a second PUT"
            + " replaces the document and drops its pages. The advice is recorded, not verified; the document is classified only by a"
            + " valid MRZ (MRZ_EXTRACTION_ONLY)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisDocumentSchemas.CreateDocumentRequest.class))))
    @ApiResponse(responseCode = "200", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisDocumentSchemas.CreateDocumentResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY: malformed JSON, an unknown field or source,"
            + " an advice value that is not a short word, an MRZ type other than td1, td2, td3")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer")
    @PipelineErrors
    @PutMapping(path = DOCUMENT, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> putDocument(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                 @Parameter(description = ID) @PathVariable("id") String id,
                                                                 HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        byte[] raw = Bodies.read(request);
        // no body at all: a document without advice (the reference requires one; an empty one is taken as {})
        ObjectNode body = raw.length == 0 ? CustomerRequests.object("{}".getBytes()) : object(raw);
        return call(tenant, DisContract.DOCUMENT_PUT, customer, token, List.of(), documentAttributes(body), request);
    }

    /** The advice and sources as comma-joined attributes; 400 INVALID_REQUEST_BODY for anything the reference does not have. */
    static Map<String, String> documentAttributes(ObjectNode body) {
        onlyFields(body, Set.of("advice", "sources"), "CreateDocumentRequest");
        Map<String, String> attributes = new HashMap<>();
        List<String> sources = strings(body, "sources");
        for (String source : sources) {
            if (!SOURCES.contains(source)) {
                throw invalidBody("'sources' are " + String.join(", ", DisDocumentSchemas.SOURCES));
            }
        }
        put(attributes, DisContract.DOCUMENT_SOURCES, sources);
        ObjectNode advice = objectField(body, "advice");
        if (advice != null) {
            onlyFields(advice, Set.of("classification"), "DocumentAdvice");
            ObjectNode classification = objectField(advice, "classification");
            if (classification != null) {
                onlyFields(classification, Set.of("countries", "types", "editions", "machineReadableTravelDocuments"), "DocumentClassificationAdvice");
                put(attributes, DisContract.DOCUMENT_COUNTRIES, words(classification, "countries"));
                put(attributes, DisContract.DOCUMENT_TYPES, words(classification, "types"));
                put(attributes, DisContract.DOCUMENT_EDITIONS, words(classification, "editions"));
                List<String> mrtds = words(classification, "machineReadableTravelDocuments");
                for (String mrtd : mrtds) {
                    if (!MRTDS.contains(mrtd.toLowerCase(Locale.ROOT))) {
                        throw invalidBody("'machineReadableTravelDocuments' are td1, td2, td3");
                    }
                }
                put(attributes, DisContract.DOCUMENT_MRTDS, mrtds);
            }
        }
        return attributes;
    }

    @Operation(summary = "Delete the customer's document with its pages (idempotent)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @PipelineErrors
    @DeleteMapping(path = DOCUMENT)
    public CompletableFuture<ResponseEntity<Object>> deleteDocument(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                    @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                    @Parameter(description = ID) @PathVariable("id") String id,
                                                                    HttpServletRequest request) {
        return call(tenant, DisContract.DOCUMENT_DELETE, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    // ---- pages ----------------------------------------------------------------------------------

    @Operation(summary = "Upload a document page: JSON (image.data base64, advice.classification.pageTypes front/back) or the raw image as"
            + " application/octet-stream. The card's corners are found, the page normalised to its ICAO size, its quality measured and"
            + " its portrait found; the page is read as the document's sources ask (MRZ, barcodes, visual-zone OCR; kept sealed, answered"
            + " by GET customer) and the document classified by a valid MRZ. The page type is the advice's (no page classifier);"
            + " without one, the first of front, back not uploaded yet",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisDocumentSchemas.CreateDocumentPageRequest.class)),
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponse(responseCode = "200", description = "The detection; errorCode NO_CARD_CORNERS_DETECTED when no card was found",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisDocumentSchemas.CreateDocumentPageResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY (malformed JSON, an unknown field, a page type other than"
            + " front and back); INVALID_IMAGE; DATA_DOWNLOADER_DISABLED (image.url)")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, or its document (PUT document first)")
    @PipelineErrors
    @PutMapping(path = DOCUMENT + "/pages", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> putPageJson(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                 @Parameter(description = ID) @PathVariable("id") String id,
                                                                 HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        ObjectNode body = object(Bodies.read(request));
        onlyFields(body, Set.of("image", "advice"), "CreateDocumentPageRequest");
        ObjectNode image = objectField(body, "image");
        if (image == null) {
            throw invalidBody("'image' is required");
        }
        Map<String, String> attributes = new HashMap<>();
        ObjectNode advice = objectField(body, "advice");
        if (advice != null) {
            onlyFields(advice, Set.of("classification"), "DocumentPageAdvice");
            ObjectNode classification = objectField(advice, "classification");
            if (classification != null) {
                onlyFields(classification, Set.of("pageTypes"), "DocumentPageClassificationAdvice");
                if (classification.get("pageTypes") == null || classification.get("pageTypes").isNull()) {
                    throw invalidBody("'advice.classification.pageTypes' is required");
                }
                List<String> types = strings(classification, "pageTypes");
                for (String type : types) {
                    if (!PAGE_TYPES.contains(type)) {
                        throw invalidBody("Page types are front and back, not '" + CustomerRequests.printable(type) + "'");
                    }
                }
                put(attributes, DisContract.PAGE_TYPE, types.stream().distinct().toList());
            }
        }
        byte[] data = CustomerRequests.image(image);
        return call(tenant, DisContract.PAGE_PUT, customer, token, List.of(part(data)), attributes, request);
    }

    @Operation(hidden = true) // documented with putPageJson: the same operation, another Content-Type
    @PipelineErrors
    @PutMapping(path = DOCUMENT + "/pages", consumes = {MediaType.APPLICATION_OCTET_STREAM_VALUE, Bodies.ANY_IMAGE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> putPageBinary(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                   @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                   @PathVariable("id") String id, HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        byte[] data = Bodies.read(request);
        if (data.length == 0) {
            throw invalidBody("The image is missing");
        }
        return call(tenant, DisContract.PAGE_PUT, customer, token, List.of(part(data)), new HashMap<>(), request);
    }

    @Operation(summary = "The normalised page (JPEG, base64); width and/or height: the largest size that fits inside, aspect kept")
    @ApiResponse(responseCode = "200", description = "The page", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_PARAMETER (width or height not in 1..4096)")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, its document or the page")
    @PipelineErrors
    @GetMapping(path = DOCUMENT + "/pages/{page-type}", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> getPage(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                             @Parameter(description = ID) @PathVariable("id") String id,
                                                             @Parameter(description = PAGE_TYPE) @PathVariable("page-type") String pageType,
                                                             @Parameter(description = "Width, pixels (1..4096)") @RequestParam(name = "width", required = false) String width,
                                                             @Parameter(description = "Height, pixels (1..4096)") @RequestParam(name = "height", required = false) String height,
                                                             HttpServletRequest request) {
        String customer = customerId(id);
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.PAGE_TYPE, pageType);
        if (width != null) {
            attributes.put(DisContract.WIDTH, Integer.toString(side("width", width)));
        }
        if (height != null) {
            attributes.put(DisContract.HEIGHT, Integer.toString(side("height", height)));
        }
        return call(tenant, DisContract.PAGE_GET, customer, token, List.of(), attributes, request);
    }

    @Operation(summary = "The page's quality as measured at upload: sharpness, brightness, hotspots with levels; issues and warnings")
    @ApiResponse(responseCode = "200", description = "The quality", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisDocumentSchemas.DocumentPageQuality.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, its document or the page")
    @PipelineErrors
    @GetMapping(path = DOCUMENT + "/pages/{page-type}/quality", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> pageQuality(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                 @Parameter(description = ID) @PathVariable("id") String id,
                                                                 @Parameter(description = PAGE_TYPE) @PathVariable("page-type") String pageType,
                                                                 HttpServletRequest request) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(DisContract.PAGE_TYPE, pageType);
        return call(tenant, DisContract.PAGE_QUALITY, customerId(id), token, List.of(), attributes, request);
    }

    @Operation(summary = "The document's portrait (JPEG, base64): the face found on the front page, else on the back page")
    @ApiResponse(responseCode = "200", description = "The portrait", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, its document, or no portrait on its pages")
    @PipelineErrors
    @GetMapping(path = DOCUMENT + "/portrait", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> portrait(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                              @Parameter(description = ID) @PathVariable("id") String id,
                                                              HttpServletRequest request) {
        return call(tenant, DisContract.DOCUMENT_PORTRAIT, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    // ---- chip -----------------------------------------------------------------------------------

    @Operation(summary = "A random challenge (8 bytes, base64) for the chip's active authentication, kept with the document; no request body")
    @ApiResponse(responseCode = "200", description = "The challenge", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisDocumentSchemas.CreateDocumentChipResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer or its document")
    @PipelineErrors
    @PutMapping(path = DOCUMENT + "/chip/challenge", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> chipChallenge(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                   @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                   @Parameter(description = ID) @PathVariable("id") String id,
                                                                   HttpServletRequest request) {
        return call(tenant, DisContract.CHIP_CHALLENGE, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "Upload the chip's data: the LDS files as read from the chip (EF.COM, EF.SOD, DG1, DG2, ...), concatenated,"
            + " as application/octet-stream. Parsed (JMRTD), kept sealed; DG2's portrait kept; passive authentication of EF.SOD against"
            + " the configured CSCA certificates (OPENBIO_DIS_CSCA_CERTIFICATES) kept for the document inspection",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "200", description = "Kept; errorCode LDS_PARSE_ERROR when the bytes are not LDS files (nothing kept)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DisDocumentSchemas.CreateDocumentChipDataResponse.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID; INVALID_REQUEST_BODY (no body)")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer or its document")
    @PipelineErrors
    @PutMapping(path = DOCUMENT + "/chip/data", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> putChipData(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                 @Parameter(description = ID) @PathVariable("id") String id,
                                                                 HttpServletRequest request) throws IOException {
        String customer = customerId(id);
        byte[] data = Bodies.read(request);
        if (data.length == 0) {
            throw invalidBody("The chip data is missing");
        }
        return call(tenant, DisContract.CHIP_DATA_PUT, customer, token, List.of(new Part(DisContract.CHIP_PART, null, ByteBuffer.wrap(data))),
                new HashMap<>(), request);
    }

    @Operation(summary = "The chip data as uploaded (base64)")
    @ApiResponse(responseCode = "200", description = "The chip data", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, its document or its chip data")
    @PipelineErrors
    @GetMapping(path = DOCUMENT + "/chip/data", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> getChipData(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                 @Parameter(description = ID) @PathVariable("id") String id,
                                                                 HttpServletRequest request) {
        return call(tenant, DisContract.CHIP_DATA_GET, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    @Operation(summary = "The chip's portrait (DG2), JPEG as the chip holds it, base64")
    @ApiResponse(responseCode = "200", description = "The portrait", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = DisCustomerSchemas.ImageCrop.class)))
    @ApiResponse(responseCode = "400", description = "INVALID_ID")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: the customer, its document, or no JPEG portrait in DG2")
    @PipelineErrors
    @GetMapping(path = DOCUMENT + "/chip/portrait", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> chipPortrait(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                  @Parameter(description = TOKEN) @RequestHeader(name = CustomerRequests.SESSION_HEADER, required = false) String token,
                                                                  @Parameter(description = ID) @PathVariable("id") String id,
                                                                  HttpServletRequest request) {
        return call(tenant, DisContract.CHIP_PORTRAIT, customerId(id), token, List.of(), new HashMap<>(), request);
    }

    // ---- helpers --------------------------------------------------------------------------------

    static int side(String name, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1 && v <= MAX_SIDE) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "INVALID_REQUEST_PARAMETER", "'" + name + "' must be a whole number of pixels in 1.." + MAX_SIDE);
    }

    /** A string array field (empty when absent or null); 400 when of another type. */
    static List<String> strings(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalidBody("'" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalidBody("'" + field + "' must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static List<String> words(ObjectNode object, String field) {
        List<String> values = strings(object, field);
        for (String value : values) {
            if (!ADVICE_VALUE.matcher(value).matches()) {
                throw invalidBody("'" + field + "' values are short words (letters, digits, . _ - and spaces, at most 64)");
            }
        }
        return values;
    }

    private static void put(Map<String, String> attributes, String name, List<String> values) {
        if (!values.isEmpty()) {
            attributes.put(name, String.join(",", values));
        }
    }

    static Part part(byte[] data) {
        return new Part(DisContract.IMAGE_PART, null, ByteBuffer.wrap(data));
    }

    private CompletableFuture<ResponseEntity<Object>> call(String tenant, String operation, String customerId, String token, List<Part> parts,
                                                           Map<String, String> attributes, HttpServletRequest request) {
        return CustomerStage.call(pipeline, responses, tenant, operation, customerId, token, parts, attributes, request);
    }
}
