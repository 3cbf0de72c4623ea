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

    /**
     * An {@link ExtractedImage} (IAD {@code /extract_image}, IDLive {@code /decrypt}, whose references
     * promise {@code image/jpeg}): its bytes, typed by what they are, never by the type the capture
     * client declared for the frame inside the bundle (that echo let a client have the server answer
     * HTML as {@code text/html}). JPEG bytes are {@code image/jpeg} (the decrypt stage re-encodes every other
     * format as JPEG; PNG bytes from a stage of an earlier version are still {@code image/png}); anything else is the seed's
     * 400 "Failed to parse file" in the path's format. {@code X-Content-Type-Options: nosniff} is on every
     * answer ({@link RequestHygieneFilter}).
     */
    public ResponseEntity<Object> image(ResultEvent result, String path) {
        return render(result, path, ok -> {
            ExtractedImage image = (ExtractedImage) ok.getPayload();
            byte[] bytes = new byte[image.getData().remaining()];
            image.getData().duplicate().get(bytes);
            MediaType type = imageType(bytes);
            if (type == null) {
                return products.response(400, "Failed to parse file", path, "UNKNOWN");
            }
            return ResponseEntity.ok().contentType(type).body(bytes);
        });
    }

    /** {@code image/jpeg} or {@code image/png} by the bytes' signature; null for anything else. */
    static MediaType imageType(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return MediaType.IMAGE_JPEG;
        }
        if (bytes.length >= PNG_SIGNATURE.length && java.util.Arrays.equals(bytes, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            return MediaType.IMAGE_PNG;
        }
        return null;
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
}
