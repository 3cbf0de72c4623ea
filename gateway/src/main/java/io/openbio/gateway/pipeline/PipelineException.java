package io.openbio.gateway.pipeline;

/** The pipeline could not take or finish a request: broker unreachable (503) or no result in time (504). */
public class PipelineException extends RuntimeException {
    private final int status;

    public PipelineException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
