package io.openbio.gateway.api.bioserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.ApiResponse;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.web.PipelineResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import java.util.function.UnaryOperator;

/**
 * The bioserver stage's answers as the BioServer API gives them. Errors (a result with an error: 404
 * "Session not found", ...) render in the BioServer format through {@link PipelineResponses}, as on every
 * product. Every JSON body leaves through {@link #json}: the one place where the answers get their JWS
 * {@code signature} (the signing itself is {@code BioServerSignatures}', not this class's).
 */
@Component
public class BioServerResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PipelineResponses responses;
    private final BioServerSignatures signatures;

    public BioServerResponses(PipelineResponses responses, BioServerSignatures signatures) {
        this.responses = responses;
        this.signatures = signatures;
    }

    /** Where the signature goes and in which form: the seed's examples. */
    enum Signing {
        /** {@code signature} last (Face, Match, bio-session, age). */
        LAST,
        /** {@code signature} first, compact (init-liveness-parameters). */
        FIRST,
        /** {@code signature} first, detached {@code header..signature} (v3 replay-liveness-metadata). */
        FIRST_DETACHED,
        /** No signature (the request's signatureDisabled; the capture client's platform routes). */
        NONE
    }

    /**
     * A JSON answer (ApiResponse: status and body; 204 without one), its body passed through
     * {@link #body} on the way out.
     *
     * @param path              the request path (errors name it; signing may depend on the operation)
     * @param signatureDisabled the request's {@code signatureDisabled} (direct face, ages): no signature
     */
    public ResponseEntity<Object> json(ResultEvent result, String path, boolean signatureDisabled) {
        return json(result, path, signatureDisabled ? Signing.NONE : Signing.LAST, UnaryOperator.identity());
    }

    /**
     * A JSON answer signed as {@code signing} says, after {@code addition} completed the stage's object (e.g.
     * the gateway's {@code certificates} of init-liveness-parameters).
     */
    ResponseEntity<Object> json(ResultEvent result, String path, Signing signing, UnaryOperator<ObjectNode> addition) {
        return responses.render(result, path, ok -> {
            ApiResponse response = (ApiResponse) ok.getPayload();
            if (response.getStatus() == 204) {
                return ResponseEntity.noContent().build();
            }
            return ResponseEntity.status(response.getStatus()).contentType(MediaType.APPLICATION_JSON)
                    .body(body(response.getJson(), signing, addition));
        });
    }

    /**
     * The signing: every JSON body of the BioServer API passes here (an object, or an array of objects for
     * GET .../faces and .../matches, each signed). Written from the signed tree by Jackson, so the answer
     * parses back to the fields, values and order the payload was made of (a detached signature is
     * verified by re-serialising the answer less {@code signature}: {@link BioServerSignatures#payloadOf}).
     */
    String body(String json, Signing signing, UnaryOperator<ObjectNode> addition) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof ObjectNode object) {
                node = addition.apply(object);
            }
            JsonNode out = switch (signing) {
                case NONE -> node;
                case LAST -> signatures.signAll(node);
                case FIRST, FIRST_DETACHED -> {
                    ObjectNode object = (ObjectNode) node;
                    ObjectNode first = JSON.createObjectNode();
                    first.put(BioServerSignatures.SIGNATURE, signing == Signing.FIRST ? signatures.sign(object) : signatures.signDetached(object));
                    first.setAll(object);
                    yield first;
                }
            };
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the bioserver stage answered JSON that does not parse", e);
        }
    }

    /**
     * A creation (session, face): the stage answers 201 {@code {}}; the client gets 201 without a body and
     * {@code Location: location} (the seed's form, {@code /v2/bio-sessions/{id}[/faces/{faceId}]}, without
     * the {@code /bioserver-app} base: integrators take the id after the last {@code /}). Any other answer
     * is passed on as {@link #json} passes it.
     */
    public ResponseEntity<Object> created(ResultEvent result, String path, String location) {
        return created(result, path, location, 201);
    }

    /** {@link #created(ResultEvent, String, String)} where the stage's last answer is {@code stageStatus} on success (a chain of calls). */
    public ResponseEntity<Object> created(ResultEvent result, String path, String location, int stageStatus) {
        return responses.render(result, path, ok -> {
            if (ok.getPayload() instanceof ApiResponse response && response.getStatus() == stageStatus) {
                return ResponseEntity.status(201).header(HttpHeaders.LOCATION, location).build();
            }
            return json(ok, path, false);
        });
    }

    /**
     * A face's stored image: the image (ExtractedImage, {@code image/jpeg}), or the stage's ApiResponse
     * (204: the session does not store images).
     */
    public ResponseEntity<Object> image(ResultEvent result, String path) {
        if (result.getError() == null && result.getPayload() instanceof ApiResponse) {
            return json(result, path, false);
        }
        return responses.image(result, path);
    }
}
