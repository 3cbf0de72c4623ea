package io.openbio.gateway.pipeline;

/**
 * The pipeline could not take or finish a request: broker unreachable (503), no result in time
 * (504), or the gateway sheds load (429). 429 and 503 are answered with a {@code Retry-After}
 * header: {@link #retryAfterSeconds()} when set, else 1 second.
 */
public class PipelineException extends RuntimeException {
    private final int status;
    private final int retryAfterSeconds;

    public PipelineException(int status, String message, Throwable cause) {
        this(status, message, cause, 0);
    }

    public PipelineException(int status, String message, Throwable cause, int retryAfterSeconds) {
        super(message, cause);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Seconds the client should wait before retrying; 0 when the default (1 s) applies. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
