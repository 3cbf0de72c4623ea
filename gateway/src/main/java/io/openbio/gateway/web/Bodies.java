package io.openbio.gateway.web;

import io.openbio.schemas.PayloadLimits;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads raw request bodies up to the payload limit ({@link PayloadTooLargeException} beyond it). */
public final class Bodies {
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
