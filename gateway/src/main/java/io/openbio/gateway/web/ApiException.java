package io.openbio.gateway.web;

/** A client error with its HTTP status and API error code, answered in the API's error format. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String errorCode;

    public ApiException(int status, String errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "UNKNOWN", message);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
