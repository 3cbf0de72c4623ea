package io.openbio.schemas.crypto;

/**
 * A sealed payload that cannot be opened: tampered, truncated, bound to another tenant, record key or
 * purpose, not an envelope at all, or sealed under a key-encryption key this process does not hold.
 * The message never contains payload bytes.
 */
public final class SealedPayloadException extends RuntimeException {
    /** Why an envelope did not open. */
    public enum Reason {
        /** not an envelope of a known version (e.g. a plaintext payload from before sealing) */
        NOT_SEALED,
        /** shorter than its layout says */
        TRUNCATED,
        /** sealed under a key-encryption key id not in the key store */
        UNKNOWN_KEK,
        /** authentication failed: changed bytes, or another tenant, record key or purpose */
        TAMPERED
    }

    private final Reason reason;

    public SealedPayloadException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public SealedPayloadException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
