package io.openbio.gateway.api.ekyc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.ExtractedImage;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.pipeline.RequestReplyClient;
import io.openbio.gateway.web.ApiError;
import io.openbio.gateway.web.ApiException;
import io.openbio.gateway.web.Bodies;
import io.openbio.schemas.Topics;
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
 * {@code decrypt} stage. Errors: {@code {"status":400,"message":"..."}}.
 */
@RestController
public class EkycController {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestReplyClient pipeline;

    public EkycController(RequestReplyClient pipeline) {
        this.pipeline = pipeline;
    }

    // ---- /check ---------------------------------------------------------------------------------

    @PostMapping(path = "/check", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public CompletableFuture<ResponseEntity<Object>> check(@RequestParam(name = "encrypted", defaultValue = "true") boolean encrypted,
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
        if ((model.wants("FACE_CHECK") || model.wants("FACE_MATCH_VALIDATION")) && face == null) {
            throw ApiException.badRequest("Required part 'face' is not present (needed by " + (model.wants("FACE_CHECK") ? "FACE_CHECK" : "FACE_MATCH_VALIDATION") + ")");
        }
        if ((model.wants("DOC_CHECK") || model.wants("FACE_MATCH_VALIDATION")) && doc == null) {
            throw ApiException.badRequest("Required part 'doc' is not present (needed by " + (model.wants("DOC_CHECK") ? "DOC_CHECK" : "FACE_MATCH_VALIDATION") + ")");
        }
        if (model.wants("FACE_MATCH_SEARCH") && face == null && doc == null) {
            throw ApiException.badRequest("FACE_MATCH_SEARCH needs a 'face' or a 'doc' part");
        }
        List<Part> parts = new ArrayList<>();
        if (face != null) {
            parts.add(new Part("face", null, ByteBuffer.wrap(face)));
        }
        if (doc != null) {
            parts.add(new Part("doc", null, ByteBuffer.wrap(doc)));
        }
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, "ekyc.check", parts,
                Map.of("checkModel", model.toJson(), "encrypted", Boolean.toString(encrypted)));
        String path = request.getRequestURI();
        return pipeline.call(Topics.EKYC_REQUESTS, envelope).thenApply(result -> json(result, path));
    }

    // ---- collections ----------------------------------------------------------------------------

    @PostMapping(path = "/collections")
    public CompletableFuture<ResponseEntity<Object>> createCollection(@RequestParam("collection") String collection,
                                                                      @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                      HttpServletRequest request) {
        return collectionCall("ekyc.create_collection", tenant, collection, Map.of(), List.of(), request);
    }

    @DeleteMapping(path = "/collections")
    public CompletableFuture<ResponseEntity<Object>> deleteCollection(@RequestParam("collection") String collection,
                                                                      @RequestParam(name = "force", defaultValue = "false") boolean force,
                                                                      @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                      HttpServletRequest request) {
        return collectionCall("ekyc.delete_collection", tenant, collection, Map.of("force", Boolean.toString(force)), List.of(), request);
    }

    @DeleteMapping(path = "/collections/remove-record")
    public CompletableFuture<ResponseEntity<Object>> removeRecord(@RequestParam("collection") String collection,
                                                                  @RequestParam("recordId") String recordId,
                                                                  @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                  HttpServletRequest request) {
        return collectionCall("ekyc.remove_record", tenant, collection, Map.of("recordId", recordId), List.of(), request);
    }

    @PostMapping(path = "/add-template", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> addTemplate(@RequestParam("collection") String collection,
                                                                 @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                 HttpServletRequest request) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(Bodies.read(request));
        } catch (IOException e) {
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
        return collectionCall("ekyc.add_template", tenant, collection, Map.of("templates", templates.toString()), List.of(), request);
    }

    @PostMapping(path = "/add-image")
    public CompletableFuture<ResponseEntity<Object>> addImage(@RequestParam("collection") String collection,
                                                              @RequestParam(name = "maxFaces", defaultValue = "1") int maxFaces,
                                                              @RequestParam("encrypted") boolean encrypted,
                                                              @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                              HttpServletRequest request) throws IOException {
        if (maxFaces < 1 || maxFaces > 100) {
            throw ApiException.badRequest("maxFaces must be an integer from 1 to 100");
        }
        byte[] image = requireBody(request);
        return collectionCall("ekyc.add_image", tenant, collection,
                Map.of("maxFaces", Integer.toString(maxFaces), "encrypted", Boolean.toString(encrypted)),
                List.of(new Part("image", null, ByteBuffer.wrap(image))), request);
    }

    // ---- templates ------------------------------------------------------------------------------

    @PostMapping(path = "/generate-template")
    public CompletableFuture<ResponseEntity<Object>> generateTemplate(@RequestParam("encrypted") boolean encrypted,
                                                                      @RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                                      HttpServletRequest request) throws IOException {
        byte[] image = requireBody(request);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, "ekyc.generate_template",
                List.of(new Part("image", null, ByteBuffer.wrap(image))), Map.of("encrypted", Boolean.toString(encrypted)));
        String path = request.getRequestURI();
        return pipeline.call(Topics.EKYC_TEMPLATE_REQUESTS, envelope).thenApply(result -> json(result, path));
    }

    @PostMapping(path = "/match-over-template", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public CompletableFuture<ResponseEntity<Object>> matchOverTemplate(@RequestParam("encrypted") boolean encrypted,
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
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, "ekyc.match_over_template",
                List.of(new Part("file", null, ByteBuffer.wrap(file))),
                Map.of("encrypted", Boolean.toString(encrypted), "template", template.trim()));
        String path = request.getRequestURI();
        return pipeline.call(Topics.EKYC_TEMPLATE_REQUESTS, envelope).thenApply(result -> json(result, path));
    }

    @PostMapping(path = "/decrypt")
    public CompletableFuture<ResponseEntity<Object>> decrypt(@RequestHeader(name = "X-Tenant-Id", required = false) String tenant,
                                                             HttpServletRequest request) throws IOException {
        byte[] bundle = requireBody(request);
        RequestEnvelope.Builder envelope = pipeline.newRequest(tenant, "ekyc.decrypt",
                List.of(new Part("bundle", "application/octet-stream", ByteBuffer.wrap(bundle))), Map.of());
        String path = request.getRequestURI();
        return pipeline.call(Topics.CAPTURE_REQUESTS, envelope).thenApply(result -> {
            if (result.getError() != null) {
                return ApiError.response(result.getError().getStatus(), result.getError().getMessage(), path, result.getError().getCode());
            }
            ExtractedImage image = (ExtractedImage) result.getPayload();
            byte[] bytes = new byte[image.getData().remaining()];
            image.getData().duplicate().get(bytes);
            return ResponseEntity.ok().contentType(MediaType.parseMediaType(image.getContentType())).body(bytes);
        });
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
        return pipeline.call(Topics.EKYC_TEMPLATE_REQUESTS, envelope, key).thenApply(result -> json(result, path));
    }

    private static byte[] requireBody(HttpServletRequest request) throws IOException {
        byte[] body = Bodies.read(request);
        if (body.length == 0) {
            throw ApiException.badRequest("The request body is empty: send the image (or encrypted payload) as application/octet-stream");
        }
        return body;
    }

    static ResponseEntity<Object> json(ResultEvent result, String path) {
        if (result.getError() != null) {
            return ApiError.response(result.getError().getStatus(), result.getError().getMessage(), path, result.getError().getCode());
        }
        ApiResponse response = (ApiResponse) result.getPayload();
        if (response.getStatus() == 204) {
            return ResponseEntity.noContent().build();
        }
        if (response.getStatus() == 201 && "{}".equals(response.getJson())) {
            return ResponseEntity.status(201).build();
        }
        return ResponseEntity.status(response.getStatus()).contentType(MediaType.APPLICATION_JSON).body(response.getJson());
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
