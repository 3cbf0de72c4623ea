package io.openbio.gateway.web;

import io.openbio.events.ApiResponse;
import io.openbio.events.ExtractedImage;
import io.openbio.events.ResultEvent;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Pipeline result to HTTP answer, shared by the controllers: a result carrying an error is answered
 * in the format of the path's product ({@link ApiProducts}) with the error's status and code; a
 * payload by the renderer for its type.
 */
@Component
public class PipelineResponses {
    private final ApiProducts products;

    public PipelineResponses(ApiProducts products) {
        this.products = products;
    }

    /** The result's error on {@code path}, or {@code payload}'s answer for a result without one. */
    public ResponseEntity<Object> render(ResultEvent result, String path, Function<ResultEvent, ResponseEntity<Object>> payload) {
        if (result.getError() != null) {
            return products.response(result.getError().getStatus(), result.getError().getMessage(), path, result.getError().getCode());
        }
        return payload.apply(result);
    }

    /**
     * A stage's ready-made answer ({@link ApiResponse}: status and JSON body): 204 and a 201 with
     * {@code {}} are answered without a body, anything else with the JSON as it is.
     */
    public ResponseEntity<Object> apiResponse(ResultEvent result, String path) {
        return render(result, path, ok -> {
            ApiResponse response = (ApiResponse) ok.getPayload();
            if (response.getStatus() == 204) {
                return ResponseEntity.noContent().build();
            }
            if (response.getStatus() == 201 && "{}".equals(response.getJson())) {
                return ResponseEntity.status(201).build();
            }
            return ResponseEntity.status(response.getStatus()).contentType(MediaType.APPLICATION_JSON).body(response.getJson());
        });
    }

    /** An {@link ExtractedImage}: its bytes with its content type (IAD {@code /extract_image}, IDLive {@code /decrypt}). */
    public ResponseEntity<Object> image(ResultEvent result, String path) {
        return render(result, path, ok -> {
            ExtractedImage image = (ExtractedImage) ok.getPayload();
            byte[] bytes = new byte[image.getData().remaining()];
            image.getData().duplicate().get(bytes);
            return ResponseEntity.ok().contentType(MediaType.parseMediaType(image.getContentType())).body(bytes);
        });
    }
}
