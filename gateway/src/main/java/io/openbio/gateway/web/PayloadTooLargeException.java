package io.openbio.gateway.web;

import io.openbio.schemas.PayloadLimits;

/** A request body above {@link PayloadLimits#MAX_PAYLOAD_BYTES}: answered 413. */
public class PayloadTooLargeException extends ApiException {
    public PayloadTooLargeException() {
        super(413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit of " + PayloadLimits.MAX_PAYLOAD_BYTES + " bytes");
    }
}
