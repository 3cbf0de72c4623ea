package io.openbio.processors.dis.face;

/**
 * A DIS face or palm request that cannot be answered as asked: its HTTP status and the reference's
 * {@code ErrorResponse.errorCode} (the gateway renders {@code {errorCode, errorMessage}}).
 */
final class DisFaceFailure extends RuntimeException {
    final int status;
    final String code;

    private DisFaceFailure(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static DisFaceFailure notFound(String message) {
        return new DisFaceFailure(404, "NOT_FOUND", message);
    }

    static DisFaceFailure badRequest(String code, String message) {
        return new DisFaceFailure(400, code, message);
    }
}
