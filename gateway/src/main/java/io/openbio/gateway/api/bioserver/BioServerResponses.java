package io.openbio.gateway.api.bioserver;

import io.openbio.events.ApiResponse;
import io.openbio.events.ResultEvent;
import io.openbio.gateway.web.PipelineResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The bioserver stage's answers as the BioServer API gives them. Errors (a result with an error: 404
 * "Session not found", ...) render in the BioServer format through {@link PipelineResponses}, as on every
 * product. Every JSON body leaves through {@link #json}: the one place where the answers get their JWS
 * {@code signature} (the signing itself is {@code BioServerSignatures}', not this class's).
 */
@Component
public class BioServerResponses {
    private final PipelineResponses responses;

    public BioServerResponses(PipelineResponses responses) {
        this.responses = responses;
    }

    /**
     * A JSON answer (ApiResponse: status and body; 204 without one), its body passed through
     * {@link #body} on the way out.
     *
     * @param path              the request path (errors name it; signing may depend on the operation)
     * @param signatureDisabled the request's {@code signatureDisabled} (direct face, ages): no signature
     */
    public ResponseEntity<Object> json(ResultEvent result, String path, boolean signatureDisabled) {
        return responses.render(result, path, ok -> {
            ApiResponse response = (ApiResponse) ok.getPayload();
            if (response.getStatus() == 204) {
                return ResponseEntity.noContent().build();
            }
            return ResponseEntity.status(response.getStatus()).contentType(MediaType.APPLICATION_JSON)
                    .body(body(response.getJson(), path, signatureDisabled));
        });
    }

    /**
     * The signing hook: every JSON body of the BioServer API passes here (an object, or an array of
     * objects for GET .../faces and .../matches). Returns it unchanged until {@code BioServerSignatures}
     * is plugged in here.
     */
    String body(String json, String path, boolean signatureDisabled) {
        return json;
    }

    /**
     * A creation (session, face): the stage answers 201 {@code {}}; the client gets 201 without a body and
     * {@code Location: location} (the seed's form, {@code /v2/bio-sessions/{id}[/faces/{faceId}]}, without
     * the {@code /bioserver-app} base: integrators take the id after the last {@code /}). Any other answer
     * is passed on as {@link #json} passes it.
     */
    public ResponseEntity<Object> created(ResultEvent result, String path, String location) {
        return responses.render(result, path, ok -> {
            if (ok.getPayload() instanceof ApiResponse response && response.getStatus() == 201) {
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
