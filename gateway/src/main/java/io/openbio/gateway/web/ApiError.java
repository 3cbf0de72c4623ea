package io.openbio.gateway.web;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The platform's default error body, the one of the IAD Server API (seed 000), which is also Spring
 * Boot's own shape plus {@code error_code}:
 * <pre>{"timestamp":"2026-11-21T10:00:00.000+00:00","status":400,"error":"Bad Request",
 *  "message":"...","path":"/...","error_code":"UNKNOWN"}</pre>
 * Product APIs whose references define another error shape render their own.
 */
public final class ApiError {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    private ApiError() {
    }

    public static Map<String, Object> body(int status, String message, String path, String errorCode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("timestamp", OffsetDateTime.now(ZoneOffset.UTC).format(TIMESTAMP));
        body.put("status", status);
        HttpStatus known = HttpStatus.resolve(status);
        body.put("error", known == null ? "Error" : known.getReasonPhrase());
        body.put("message", message);
        body.put("path", path);
        body.put("error_code", errorCode == null ? "UNKNOWN" : errorCode);
        return body;
    }

    public static ResponseEntity<Object> response(int status, String message, String path, String errorCode) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body(status, message, path, errorCode));
    }
}
