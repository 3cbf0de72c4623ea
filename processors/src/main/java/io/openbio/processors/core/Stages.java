package io.openbio.processors.core;

import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what goes wrong inside a stage into the request's error result, so a bad input or a failed
 * model call ends one request with the API's error, never the stream thread (which would stall every
 * other request of the partition). Messages never carry image bytes.
 */
public final class Stages {
    private static final Logger log = LoggerFactory.getLogger(Stages.class);

    private Stages() {
    }

    /** The error result of a face-analysis failure: image-validation problems are the client's (400). */
    public static ResultEvent inferenceError(RequestEnvelope request, List<StageTrace> trace, InferenceException e) {
        ErrorCode code = e.code();
        return switch (code) {
            case FACE_NOT_FOUND -> Results.error(request, trace, 400, "FACE_NOT_FOUND", "Face not found");
            case FACE_TOO_SMALL -> Results.error(request, trace, 400, "FACE_TOO_SMALL", "Face too small: the distance between the eyes is below the minimum");
            case MULTIPLE_FACES -> Results.error(request, trace, 400, "MULTIPLE_FACES", "More than one face found");
            case INVALID_IMAGE, IMAGE_TRUNCATED -> Results.error(request, trace, 400, "INVALID_IMAGE", "Failed to read the image");
            case IMAGE_TOO_LARGE -> Results.error(request, trace, 400, "IMAGE_TOO_LARGE", "Image dimensions exceed the limit");
            case INVALID_TEMPLATE, TEMPLATE_VERSION_MISMATCH -> Results.error(request, trace, 400, code.name(), e.getMessage());
            case MODEL_UNAVAILABLE, CHECK_UNAVAILABLE -> {
                log.error("request {}: {}", request.getRequestId(), e.getMessage());
                yield Results.error(request, trace, 503, code.name(), "The check is not available on this server");
            }
        };
    }

    /** The error result of an unexpected failure in a stage (logged with its stack trace, no payload). */
    public static ResultEvent unexpected(String stage, RequestEnvelope request, List<StageTrace> trace, RuntimeException e) {
        if (e instanceof io.openbio.schemas.crypto.SealedPayloadException sealed) {
            // tampered, moved, or sealed under a key this process lacks: the reason only, never the bytes
            log.warn("stage {}: a payload of request {} does not open ({})", stage, request.getRequestId(), sealed.reason());
            return Results.error(request, trace, 500, "UNKNOWN", "A payload of this request failed its integrity check in stage " + stage);
        }
        log.error("stage {} failed on request {}", stage, request.getRequestId(), e);
        return Results.error(request, trace, 500, "UNKNOWN", "Internal error in stage " + stage);
    }
}
