package io.openbio.gateway.web;

import io.openbio.gateway.pipeline.PipelineException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every failure to the error body and status of the API the path belongs to ({@link ApiProducts}): client mistakes are 4xx with a
 * message that names the problem (never the request's biometric content), pipeline trouble is 503
 * or 504, and only a fault of ours is a 500. Logs carry the path and the error, never bodies.
 */
@RestControllerAdvice
public class GatewayExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(GatewayExceptionHandler.class);

    private final ApiProducts products;

    public GatewayExceptionHandler(ApiProducts products) {
        this.products = products;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, HttpServletRequest request) {
        return client(e.status(), e.getMessage(), request, e.errorCode());
    }

    @ExceptionHandler(PipelineException.class)
    ResponseEntity<Object> pipeline(PipelineException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        while (cause != null && cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        log.warn("{} {} -> {}: {} ({})", request.getMethod(), request.getRequestURI(), e.status(), e.getMessage(),
                cause == null ? "no cause" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ResponseEntity<Object> response = products.response(e.status(), e.getMessage(), request.getRequestURI(),
                e.status() == 429 ? "TOO_MANY_REQUESTS" : "UNKNOWN");
        if (e.status() == 429 || e.status() == 503) {
            return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                    .header("Retry-After", Integer.toString(e.retryAfterSeconds() > 0 ? e.retryAfterSeconds() : 1))
                    .body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(CompletionException.class)
    ResponseEntity<Object> completion(CompletionException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof PipelineException p) {
            return pipeline(p, request);
        }
        if (cause instanceof ApiException a) {
            return api(a, request);
        }
        return unexpected(cause == null ? e : cause, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        ResponseEntity<Object> transport = bodyTransport(e, request);
        if (transport != null) {
            return transport;
        }
        if (io.openbio.schemas.json.StrictJsonMapper.isDuplicateKey(e)) {
            return client(400, "Malformed request body: a JSON key appears twice in one object", request, "UNKNOWN");
        }
        return client(400, "Malformed request body: expected valid JSON of the documented shape", request, "UNKNOWN");
    }

    /** Tomcat's parameter parser refusing bad percent-encoding (e.g. in a form body): the client's mistake. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> badParameters(InvalidParameterException e, HttpServletRequest request) {
        return client(400, "Malformed parameters: bad percent-encoding or not UTF-8", request, "UNKNOWN");
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Object> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return client(413, new PayloadTooLargeException().getMessage(), request, "PAYLOAD_TOO_LARGE");
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> multipart(MultipartException e, HttpServletRequest request) {
        ResponseEntity<Object> transport = bodyTransport(e, request);
        if (transport != null) {
            return transport;
        }
        return client(400, "Malformed multipart request", request, "UNKNOWN");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return client(415, "Unsupported Content-Type " + e.getContentType() + "; supported: " + e.getSupportedMediaTypes(), request, "UNKNOWN");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return client(406, "Not acceptable; supported: " + e.getSupportedMediaTypes(), request, "UNKNOWN");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return client(405, "Method " + e.getMethod() + " is not supported here", request, "UNKNOWN");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missing(MissingServletRequestParameterException e, HttpServletRequest request) {
        return client(400, "Missing parameter '" + e.getParameterName() + "'", request, "UNKNOWN");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return client(400, "Parameter '" + e.getName() + "' has an invalid value", request, "UNKNOWN");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> notFound(NoResourceFoundException e, HttpServletRequest request) {
        return client(404, "No endpoint " + request.getMethod() + " " + request.getRequestURI(), request, "UNKNOWN");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Throwable e, HttpServletRequest request) {
        ResponseEntity<Object> transport = bodyTransport(e, request);
        if (transport != null) {
            return transport;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidParameterException p) {
                return badParameters(p, request);
            }
            if (t instanceof ApiException a) {
                return api(a, request);
            }
        }
        log.error("{} {} failed unexpectedly", request.getMethod(), request.getRequestURI(), e);
        return products.response(500, "Internal error", request.getRequestURI(), "UNKNOWN");
    }

    private ResponseEntity<Object> client(int status, String message, HttpServletRequest request, String code) {
        log.info("{} {} -> {} {}: {}", request.getMethod(), request.getRequestURI(), status, code, message);
        return products.response(status, message, request.getRequestURI(), code);
    }

    /**
     * A failure while reading the body that is the client's, not ours: too large (413), not received in
     * time (408: a read past {@code openbio.gateway.body-read-timeout}, or none within Tomcat's
     * connection timeout; the connection is closed), or ended early by the client (400). Null otherwise.
     */
    private ResponseEntity<Object> bodyTransport(Throwable e, HttpServletRequest request) {
        if (causedByTooLarge(e)) {
            return client(413, new PayloadTooLargeException().getMessage(), request, "PAYLOAD_TOO_LARGE");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyReadGuardFilter.BodyReadTimeoutException || t instanceof SocketTimeoutException) {
                request.setAttribute(TomcatErrors.CLOSE_WITHOUT_DRAINING, Boolean.TRUE);
                ResponseEntity<Object> timeout = client(408, new BodyReadGuardFilter.BodyReadTimeoutException().getMessage(), request, "UNKNOWN");
                return ResponseEntity.status(timeout.getStatusCode()).headers(timeout.getHeaders())
                        .header("Connection", "close").body(timeout.getBody());
            }
            if (t instanceof EOFException || t.getClass().getName().equals("org.apache.catalina.connector.ClientAbortException")) {
                return client(400, "request body ended before its declared length", request, "UNKNOWN");
            }
        }
        return null;
    }

    private static boolean causedByTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
