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
 * Error bodies, in the shape of the API the path belongs to:
 * <ul>
 * <li>IDLive eKYC (seed 002: {@code /check}, {@code /collections...}, {@code /generate-template},
 * {@code /match-over-template}, {@code /add-template}, {@code /add-image}, {@code /decrypt}):
 * <pre>{"status":400,"message":"..."}</pre></li>
 * <li>everything else, the platform's default, which is the IAD Server API's (seed 000) and Spring
 * Boot's own shape plus {@code error_code}:
 * <pre>{"timestamp":"2026-11-21T10:00:00.000+00:00","status":400,"error":"Bad Request",
 *  "message":"...","path":"/...","error_code":"UNKNOWN"}</pre></li>
 * </ul>
 */
public final class ApiError {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    private ApiError() {
    }

    private static final java.util.List<String> IDLIVE_PATHS = java.util.List.of(
            "/check", "/collections", "/generate-template", "/match-over-template", "/add-template", "/add-image", "/decrypt");

    /** True for the paths of the IDLive eKYC API, whose error body is {@code {"status","message"}}. */
    public static boolean idLive(String path) {
        if (path == null) {
            return false;
        }
        for (String prefix : IDLIVE_PATHS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The status the API answers for a failure: the IDLive reference documents only 400 for bad
     * requests, so on its paths an oversized body (413) or an unsupported content type (415) is a
     * 400 too, with the same message.
     */
    public static int statusFor(int status, String path) {
        return idLive(path) && (status == 413 || status == 415) ? 400 : status;
    }

    public static Map<String, Object> body(int status, String message, String path, String errorCode) {
        status = statusFor(status, path);
        Map<String, Object> body = new LinkedHashMap<>();
        if (idLive(path)) {
            body.put("status", status);
            body.put("message", message);
            return body;
        }
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
        return ResponseEntity.status(statusFor(status, path)).contentType(MediaType.APPLICATION_JSON).body(body(status, message, path, errorCode));
    }
}
