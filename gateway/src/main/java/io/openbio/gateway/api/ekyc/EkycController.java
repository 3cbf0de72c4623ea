package io.openbio.gateway.api.ekyc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.Bodies;
import io.openbio.gateway.web.PipelineResponses;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.ekyc.CheckModel;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.openbio.gateway.web.PipelineErrors;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The IDLive eKYC Toolkit API (seed 002), every call through the pipeline: {@code /check} fans out
 * to the ekyc stages and the search shards; collection and template calls go to the
 * {@code collections} stage (keyed by collection, so one task owns each); {@code /decrypt} to the
 * {@code decrypt} stage. Errors: {@code {"status":400,"message":"..."}} ({@link EkycApi}).
 */
@RestController
@Tag(name = "IDLive eKYC", description = "Seed 002: identity check, collections, templates, decrypt")
public class EkycController {
    /** The multipart form of {@code POST /check}, for the OpenAPI document. */
    @Schema(name = "CheckForm")
    public record CheckForm(@Schema(description = "Which checks to run: a JSON object (send the part as application/json)",
                                    requiredMode = Schema.RequiredMode.REQUIRED) EkycSchemas.CheckModel checkModel,
                            @Schema(type = "string", format = "binary", description = "selfie (capture bundle when encrypted=true)") String face,
                            @Schema(type = "string", format = "binary", description = "document photo (capture bundle when encrypted=true)") String doc) {
    }

    /** The multipart form of {@code POST /match-over-template}. */
    @Schema(name = "MatchOverTemplateForm")
    public record MatchForm(@Schema(type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED) String file,
                            @Schema(description = "base64 template", requiredMode = Schema.RequiredMode.REQUIRED) String template) {
    }

    /** The JSON body of {@code POST /add-template}. */
    @Schema(name = "AddTemplateRequest")
    public record AddTemplates(@io.swagger.v3.oas.annotations.media.ArraySchema(minItems = 1,
            arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Templates from POST /generate-template"),
            schema = @Schema(format = "byte", example = "base64-template-1")) List<String> templates) {
    }

    private static final ObjectMapper JSON = io.openbio.schemas.json.StrictJsonMapper.get();

    /** The seed's example answer of a full check. */
    static final String CHECK_EXAMPLE = """
            {"face_result":{"results":[
              {"type":"PRESENTATION_ATTACK","pipeline":"pad-r-1","calibration":"REGULAR","probability":0.95255303,"quality":0.9972526,"status_code":"OK"},
              {"type":"DEEPFAKE_ATTACK","pipeline":"dfd-1","calibration":"REGULAR","probability":0.9324415,"quality":0.9972526,"status_code":"OK"},
              {"type":"INJECTION_ATTACK","probability":1.0,"status_code":"OK"}]},
             "doc_result":{"results":[
              {"type":"SCREEN_REPLAY_ATTACK","pipeline":"default-sr","calibration":"REGULAR","probability":0.0,"quality_warnings":[],"status_code":"OK"},
              {"type":"PORTRAIT_SUBSTITUTION_ATTACK","pipeline":"default-ps","calibration":"REGULAR","probability":0.830956,"quality_warnings":[],"status_code":"OK"}]},
             "face_validation_result":{"probability":0.0048826,"status_code":"OK"},
             "face_search_result":{"results":[
              {"collection":"ekyc","results":[{"record_id":"16d33ecb-da91-4f39-afe5-46a8c846e40e","probability":0.99999964}],"image_source":"FACE","status_code":"OK"},
              {"collection":"ekyc","error":"Collection does not exist","image_source":"DOCUMENT","status_code":"ERROR"}]}}
            """;

    private final RequestReplyClient pipeline;
    private final PipelineResponses responses;

    public EkycController(RequestReplyClient pipeline, PipelineResponses responses) {
        this.pipeline = pipeline;
        this.responses = responses;
    }

    // ---- /check ---------------------------------------------------------------------------------

    @Operation(summary = "Identity check: face PAD, deepfake, injection, document PAD, selfie-vs-document match, face search",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "multipart/form-data",
                    schema = @Schema(implementation = CheckForm.class), encoding = @Encoding(name = "checkModel", contentType = "application/json"))))
    @ApiResponse(responseCode = "200", description = "One section per requested operation; each section holds its result or its error",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EkycSchemas.CheckResult.class),
                    examples = @ExampleObject(name = "seed", value = CHECK_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "Invalid request structure (checkModel, a missing part, a payload that is no "
            + "capture bundle when encrypted=true, too large, wrong Content-Type) or a processing error")
    @PipelineErrors
    @PostMapping(path = "/check", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public CompletableFuture<ResponseEntity<Object>> check(@io.swagger.v3.oas.annotations.Parameter(description = "true: face and doc are capture bundles (payload encryption); false: plain images") @RequestParam(name = "encrypted", defaultValue = "true") boolean encrypted,
                                                           @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                           HttpServletRequest request) throws IOException, ServletException {
        String modelJson = partText(request, "checkModel");
        if (modelJson == null) {
            throw ApiException.badRequest("Required part 'checkModel' is not present");
        }
        CheckModel model;
        try {
            model = CheckModel.parse(modelJson);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        byte[] face = partBytes(request, "face");
        byte[] doc = partBytes(request, "doc");
        String missing = model.missingPart(face != null, doc != null);
        if (missing != null) {
            throw ApiException.badRequest(missing);
        }
        List<Part> parts = new ArrayList<>();
        if (face != null) {
            parts.add(new Part("face", null, ByteBuffer.wrap(face)));
        }
        if (doc != null) {
            parts.add(new Part("doc", null, ByteBuffer.wrap(doc)));
        }
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, EkycContract.CHECK, parts,
                Map.of("checkModel", model.toJson(), "encrypted", Boolean.toString(encrypted)));
        String path = request.getRequestURI();
        return pipeline.call(Topics.EKYC_REQUESTS, envelope).thenApply(result -> responses.apiResponse(result, path));
    }

    // ---- collections ----------------------------------------------------------------------------

    @Operation(summary = "Create a collection (201)")
    @ApiResponse(responseCode = "201", description = "Collection was created (no body)")
    @ApiResponse(responseCode = "400", description = "The collection already exists, or its name is missing or longer than 200 characters")
    @PipelineErrors
    @PostMapping(path = "/collections")
    public CompletableFuture<ResponseEntity<Object>> createCollection(@io.swagger.v3.oas.annotations.Parameter(description = "Name of the collection (1 to 200 characters)", example = "default-collection") @RequestParam("collection") String collection,
                                                                      @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                      HttpServletRequest request) {
        return collectionCall(EkycContract.CREATE_COLLECTION, tenant, collection, Map.of(), List.of(), request);
    }

    @Operation(summary = "Delete a collection (204); one that still holds records needs force=true")
    @ApiResponse(responseCode = "204", description = "Collection removed")
    @ApiResponse(responseCode = "400", description = "The collection does not exist, or holds records and force is not true")
    @PipelineErrors
    @DeleteMapping(path = "/collections")
    public CompletableFuture<ResponseEntity<Object>> deleteCollection(@io.swagger.v3.oas.annotations.Parameter(description = "Name of the collection (1 to 200 characters)", example = "default-collection") @RequestParam("collection") String collection,
                                                                      @io.swagger.v3.oas.annotations.Parameter(description = "true deletes a collection that still holds records") @RequestParam(name = "force", defaultValue = "false") boolean force,
                                                                      @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                      HttpServletRequest request) {
        return collectionCall(EkycContract.DELETE_COLLECTION, tenant, collection, Map.of("force", Boolean.toString(force)), List.of(), request);
    }

    @Operation(summary = "Remove a record from a collection (204)")
    @ApiResponse(responseCode = "204", description = "Record removed")
    @ApiResponse(responseCode = "400", description = "The collection or the record does not exist")
    @PipelineErrors
    @DeleteMapping(path = "/collections/remove-record")
    public CompletableFuture<ResponseEntity<Object>> removeRecord(@io.swagger.v3.oas.annotations.Parameter(description = "Name of the collection (1 to 200 characters)", example = "default-collection") @RequestParam("collection") String collection,
                                                                  @io.swagger.v3.oas.annotations.Parameter(description = "Id of the record to remove (from record_ids)") @RequestParam("recordId") String recordId,
                                                                  @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                  HttpServletRequest request) {
        return collectionCall(EkycContract.REMOVE_RECORD, tenant, collection, Map.of("recordId", recordId), List.of(), request);
    }

    @Operation(summary = "Add templates to a collection (201, record ids)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = AddTemplates.class))))
    @ApiResponse(responseCode = "201", description = "The templates' new record ids, in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EkycSchemas.RecordIds.class),
                    examples = @ExampleObject(value = "{\"record_ids\":[\"generated-record-id-1\",\"generated-record-id-2\"]}")))
    @ApiResponse(responseCode = "400", description = "The collection does not exist, the body is no {\"templates\":[...]} or a template is invalid")
    @PipelineErrors
    @PostMapping(path = "/add-template", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> addTemplate(@io.swagger.v3.oas.annotations.Parameter(description = "Name of the collection (1 to 200 characters)", example = "default-collection") @RequestParam("collection") String collection,
                                                                 @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 HttpServletRequest request) throws IOException {
        byte[] raw = Bodies.read(request);
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiException.badRequest(io.openbio.schemas.json.StrictJsonMapper.isDuplicateKey(e)
                    ? "Malformed JSON body: a key appears twice in one object"
                    : "Malformed JSON body: expected {\"templates\":[\"...\"]}");
        } catch (IOException e) {
            // bytes Jackson takes for UTF-16/32 but that do not decode (java.io.CharConversionException): not JSON either
            throw ApiException.badRequest("Malformed JSON body: expected {\"templates\":[\"...\"]}");
        }
        JsonNode templates = body == null ? null : body.get("templates");
        if (templates == null || !templates.isArray() || templates.isEmpty()) {
            throw ApiException.badRequest("'templates' must be a non-empty array of base64 templates");
        }
        for (JsonNode t : templates) {
            if (!t.isTextual()) {
                throw ApiException.badRequest("'templates' must hold base64 strings");
            }
        }
        // templates travel as a part, sealed like images (never as a plaintext attribute)
        return collectionCall(EkycContract.ADD_TEMPLATE, tenant, collection, Map.of(),
                List.of(new Part("templates", "application/json", ByteBuffer.wrap(templates.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))), request);
    }

    @Operation(summary = "Enrol the faces of an image into a collection (201, record ids)", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true, content = {@Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponse(responseCode = "201", description = "One record id per face enrolled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EkycSchemas.RecordIds.class),
                    examples = @ExampleObject(value = "{\"record_ids\":[\"generated-record-id\"]}")))
    @ApiResponse(responseCode = "400", description = "The collection does not exist, no face or more than maxFaces, not an image "
            + "(or no capture bundle when encrypted=true), an empty body, too large, wrong Content-Type")
    @PipelineErrors
    @PostMapping(path = "/add-image", consumes = {io.openbio.gateway.web.Bodies.OCTET_STREAM, io.openbio.gateway.web.Bodies.ANY_IMAGE})
    public CompletableFuture<ResponseEntity<Object>> addImage(@io.swagger.v3.oas.annotations.Parameter(description = "Name of the collection (1 to 200 characters)", example = "default-collection") @RequestParam("collection") String collection,
                                                              @io.swagger.v3.oas.annotations.Parameter(description = "Most faces allowed in the image (1 to 100); more is an error", schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "1")) @RequestParam(name = "maxFaces", defaultValue = "1") int maxFaces,
                                                              @io.swagger.v3.oas.annotations.Parameter(description = "true if the payload is an encrypted capture bundle, false for a plain image") @RequestParam("encrypted") boolean encrypted,
                                                              @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              HttpServletRequest request) throws IOException {
        if (maxFaces < 1 || maxFaces > 100) {
            throw ApiException.badRequest("maxFaces must be an integer from 1 to 100");
        }
        byte[] image = requireBody(request);
        return collectionCall(EkycContract.ADD_IMAGE, tenant, collection,
                Map.of("maxFaces", Integer.toString(maxFaces), "encrypted", Boolean.toString(encrypted)),
                List.of(new Part("image", null, ByteBuffer.wrap(image))), request);
    }

    // ---- templates ------------------------------------------------------------------------------

    @Operation(summary = "Generate a matching template from a single-face image (201)", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true, content = {@Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponse(responseCode = "201", description = "The template",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EkycSchemas.Template.class)))
    @ApiResponse(responseCode = "400", description = "No face or more than one, not an image (or no capture bundle when encrypted=true), "
            + "an empty body, too large, wrong Content-Type, encrypted missing")
    @PipelineErrors
    @PostMapping(path = "/generate-template", consumes = {io.openbio.gateway.web.Bodies.OCTET_STREAM, io.openbio.gateway.web.Bodies.ANY_IMAGE})
    public CompletableFuture<ResponseEntity<Object>> generateTemplate(@io.swagger.v3.oas.annotations.Parameter(description = "true if the payload is an encrypted capture bundle, false for a plain image") @RequestParam("encrypted") boolean encrypted,
                                                                      @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                      HttpServletRequest request) throws IOException {
        byte[] image = requireBody(request);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, EkycContract.GENERATE_TEMPLATE,
                List.of(new Part("image", null, ByteBuffer.wrap(image))), Map.of("encrypted", Boolean.toString(encrypted)));
        String path = request.getRequestURI();
        return pipeline.call(Topics.EKYC_TEMPLATE_REQUESTS, envelope).thenApply(result -> responses.apiResponse(result, path));
    }

    @Operation(summary = "Compare a face image with a template (score)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "multipart/form-data",
                    schema = @Schema(implementation = MatchForm.class))))
    @ApiResponse(responseCode = "200", description = "Similarity of the image's face to the template's",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EkycSchemas.MatchScore.class)))
    @ApiResponse(responseCode = "400", description = "A missing part, an invalid template, no face, not an image, too large")
    @PipelineErrors
    @PostMapping(path = "/match-over-template", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public CompletableFuture<ResponseEntity<Object>> matchOverTemplate(@io.swagger.v3.oas.annotations.Parameter(description = "true if the payload is an encrypted capture bundle, false for a plain image") @RequestParam("encrypted") boolean encrypted,
                                                                       @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                       HttpServletRequest request) throws IOException, ServletException {
        byte[] file = partBytes(request, "file");
        String template = partText(request, "template");
        if (file == null || file.length == 0) {
            throw ApiException.badRequest("Required part 'file' is not present");
        }
        if (template == null || template.isBlank()) {
            throw ApiException.badRequest("Required part 'template' is not present");
        }
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, EkycContract.MATCH_OVER_TEMPLATE,
                List.of(new Part("file", null, ByteBuffer.wrap(file)),
                        new Part("template", "text/plain", ByteBuffer.wrap(template.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
                Map.of("encrypted", Boolean.toString(encrypted)));
        String path = request.getRequestURI();
        return pipeline.call(Topics.EKYC_TEMPLATE_REQUESTS, envelope).thenApply(result -> responses.apiResponse(result, path));
    }

    @Operation(summary = "Decrypt a capture bundle: its image (image/jpeg)", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true, content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "200", description = "The decrypted image (frames of other formats re-encoded as JPEG; image/png only from a decrypt stage of an earlier version during an upgrade)",
            content = {@Content(mediaType = MediaType.IMAGE_JPEG_VALUE, schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.IMAGE_PNG_VALUE, schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "400", description = "Failed to parse file / Failed to read a meta data / Failed to decrypt message; "
            + "an empty body, too large, wrong Content-Type")
    @PipelineErrors
    @PostMapping(path = "/decrypt", consumes = io.openbio.gateway.web.Bodies.OCTET_STREAM)
    public CompletableFuture<ResponseEntity<Object>> decrypt(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             HttpServletRequest request) throws IOException {
        byte[] bundle = requireBody(request);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, EkycContract.DECRYPT,
                List.of(new Part("bundle", "application/octet-stream", ByteBuffer.wrap(bundle))), Map.of());
        String path = request.getRequestURI();
        return pipeline.call(Topics.CAPTURE_REQUESTS, envelope).thenApply(result -> responses.image(result, path));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private CompletableFuture<ResponseEntity<Object>> collectionCall(String operation, String tenant, String collection,
                                                                     Map<String, String> attributes, List<Part> parts,
                                                                     HttpServletRequest request) {
        if (collection == null || collection.isBlank() || collection.length() > 200) {
            throw ApiException.badRequest("'collection' must be a name of 1 to 200 characters");
        }
        Map<String, String> all = new HashMap<>(attributes);
        all.put("collection", collection);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, operation, parts, all);
        String key = envelope.getTenant() + "/" + collection;
        String path = request.getRequestURI();
        return pipeline.call(Topics.EKYC_TEMPLATE_REQUESTS, envelope, key).thenApply(result -> responses.apiResponse(result, path));
    }

    private static byte[] requireBody(HttpServletRequest request) throws IOException {
        byte[] body = Bodies.read(request);
        if (body.length == 0) {
            throw ApiException.badRequest("The request body is empty: send the image (or encrypted payload) as application/octet-stream");
        }
        return body;
    }

    /** A multipart part's bytes (file or field), or null when absent; the payload limit applies. */
    private static byte[] partBytes(HttpServletRequest request, String name) throws IOException, ServletException {
        jakarta.servlet.http.Part part = request.getPart(name);
        if (part == null) {
            return null;
        }
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static String partText(HttpServletRequest request, String name) throws IOException, ServletException {
        byte[] bytes = partBytes(request, name);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
