package io.openbio.gateway.web;

import io.openbio.schemas.PayloadLimits;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads raw request bodies up to the payload limit ({@link PayloadTooLargeException} beyond it). */
public final class Bodies {
    /**
     * What an endpoint taking a capture bundle or an image consumes, as the seeds' examples send it.
     * A request without a Content-Type counts as this (Spring's rule), so {@code curl --data-binary}
     * with {@code -H Content-Type} omitted works only where curl sends none; curl's own default,
     * {@code application/x-www-form-urlencoded}, and anything else not listed is a 415 in the API's
     * error format (never parsed as a form).
     */
    public static final String OCTET_STREAM = "application/octet-stream";
    /** Images may also come with their own type ({@code image/jpeg}, {@code image/png}, ...); the content decides the format. */
    public static final String ANY_IMAGE = "image/*";

    private Bodies() {
    }

    public static byte[] read(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] data = in.readNBytes(PayloadLimits.MAX_PAYLOAD_BYTES + 1);
            if (data.length > PayloadLimits.MAX_PAYLOAD_BYTES) {
                throw new PayloadTooLargeException();
            }
            return data;
        }
    }
}
