package io.openbio.gateway.web;

import java.util.List;
import java.util.Map;

/**
 * One API product's part of the gateway's HTTP surface, declared once in its own
 * {@code api/<product>/} package as a {@code @Component}: the path prefixes it owns, the error body
 * its clients expect and any status its reference API answers differently. {@link ApiProducts}
 * picks the product of a request path by the longest matching prefix; a path no product owns is
 * answered in {@link ApiError#DEFAULT}'s format. Adding a product adds one of these; nothing
 * central lists paths.
 */
public interface ApiProduct {
    /** E.g. {@code ekyc}; for logs and start-up errors. */
    String name();

    /**
     * The paths the product owns: a path belongs to it when it equals a prefix or continues it with
     * {@code /} ({@code /check} owns {@code /check} and {@code /check/x}, not {@code /check_capture_liveness}).
     * Each starts with {@code /} and none ends with one.
     */
    List<String> pathPrefixes();

    /** The status the product answers for a failure of {@code status}; by default the same. */
    default int status(int status) {
        return status;
    }

    /**
     * The error body for a failure, {@code status} already mapped by {@link #status(int)}; by default
     * the platform's (Spring Boot's shape plus {@code error_code}, {@link ApiError#defaultBody}).
     */
    default Map<String, Object> errorBody(int status, String message, String path, String errorCode) {
        return ApiError.defaultBody(status, message, path, errorCode);
    }
}
