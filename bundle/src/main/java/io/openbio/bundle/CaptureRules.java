package io.openbio.bundle;

/**
 * The numbers of the server's capture checks, {@code bundle/SPEC.md} section 6: the rules a bundle
 * that decrypts and decodes must still meet for its capture to count as live. Breaking one is not
 * an error; it fails an injection signal ({@code timing}, {@code nonce}) and the capture liveness
 * probability is 0. The capture processors judge with these constants, and {@code SpecTablesTest}
 * checks that SPEC.md states the same numbers, so neither can drift from the other.
 *
 * <p>All times are milliseconds. "At most" is inclusive: a value equal to a limit passes, one
 * millisecond more fails.
 */
public final class CaptureRules {
    private CaptureRules() {}

    /** {@code captureEnd - captureStart} at most this. */
    public static final long MAX_CAPTURE_MS = 60_000;

    /**
     * Clock tolerance between the capture client's clock and the server's: frame timestamps may lie
     * this far outside {@code [captureStart, captureEnd]}, the capture may start this long before its
     * nonce was issued and end this long after the bundle arrived.
     */
    public static final long CLOCK_SKEW_MS = 5_000;

    /** Arrival (the gateway's receipt of the request) at most this long after {@code captureEnd}. */
    public static final long MAX_ARRIVAL_DELAY_MS = 300_000;

    /**
     * How long an issued nonce stays valid by default ({@code OPENBIO_BUNDLE_NONCE_TTL}, 5m):
     * {@code expiresAt = issuedAt + TTL}, judged against the bundle's arrival, without clock
     * tolerance (both are server times).
     */
    public static final long DEFAULT_NONCE_TTL_MS = 300_000;

    /** The server forgets a nonce this long after it expired; afterwards it counts as never issued. */
    public static final long NONCE_RETENTION_AFTER_EXPIRY_MS = 86_400_000;
}
