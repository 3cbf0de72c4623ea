package io.openbio.processors.dis.customer;

/**
 * A request the dis-customers stage answers with a DIS error: {@code status} and one of the reference's
 * {@code ErrorResponse.errorCode} values (the gateway renders {@code {errorCode, errorMessage}}).
 */
public final class DisFailure extends RuntimeException {
    public final int status;
    public final String code;

    public DisFailure(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static DisFailure notFound(String what) {
        return new DisFailure(404, "NOT_FOUND", what + " not found");
    }

    public static DisFailure badRequest(String code, String message) {
        return new DisFailure(400, code, message);
    }
}
