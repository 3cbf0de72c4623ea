package io.openbio.processors.lcp;

/**
 * A Liveness Check Proxy request that ends with one of the seed's errors: its HTTP status, code and
 * message as the gateway answers them ({@code LcpApi} keeps a seed code; a 5xx becomes ERROR_GENERIC).
 * Messages never carry image bytes.
 */
public final class LcpFailure extends RuntimeException {
    private final int status;
    private final String code;

    public LcpFailure(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 400 ERROR_REQUEST. */
    public static LcpFailure request(String message) {
        return new LcpFailure(400, "ERROR_REQUEST", message);
    }

    /** 400 USER_DETAILS_MISSING: neither the user store nor the provider knows the user. */
    public static LcpFailure userDetailsMissing() {
        return new LcpFailure(400, "USER_DETAILS_MISSING", "User details are not available.");
    }

    /** 400 USER_NOT_ENROLLED: the user's reference image holds no single usable face. */
    public static LcpFailure notEnrolled() {
        return new LcpFailure(400, "USER_NOT_ENROLLED", "User is not enrolled at verification provider.");
    }

    /** 400 INITIATION_ERROR: init for a user without a reference face. */
    public static LcpFailure initiation() {
        return new LcpFailure(400, "INITIATION_ERROR", "Could not initiate liveness check for the user.");
    }

    /** 400 VERIFICATION_ERROR: verify for a user without a reference face, or a verification that cannot run. */
    public static LcpFailure verification() {
        return new LcpFailure(400, "VERIFICATION_ERROR", "Could not verify liveness of the user.");
    }

    /** 409 ERROR_REMOTE: the user-details provider failed (down, timeout, 5xx, garbage). */
    public static LcpFailure remote() {
        return new LcpFailure(409, "ERROR_REMOTE", "REST API call failed when fetching User Details.");
    }

    /** 404 ERROR_NOT_FOUND. */
    public static LcpFailure notFound(String message) {
        return new LcpFailure(404, "ERROR_NOT_FOUND", message);
    }
}
