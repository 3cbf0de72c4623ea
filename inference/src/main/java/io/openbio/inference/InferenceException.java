package io.openbio.inference;

/**
 * Every failure the library reports carries a machine-readable {@link ErrorCode} so the processors
 * can map it onto each product's error envelope without parsing messages.
 */
public class InferenceException extends RuntimeException {
    private final ErrorCode code;

    public InferenceException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public InferenceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "InferenceException[" + code + "]: " + getMessage();
    }
}
