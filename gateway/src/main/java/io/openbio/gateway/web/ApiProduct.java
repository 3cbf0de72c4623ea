package io.openbio.gateway.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;

/**
 * One API product's part of the gateway's HTTP surface, declared once in its own
 * {@code api/<product>/} package as a {@code @Component}: the path prefixes it owns, the error body
 * its clients expect and any status its reference API answers differently. {@link ApiProducts}
 * picks the product of a request path by the longest matching prefix; a path no product owns is
 * answered in {@link ApiError#DEFAULT}'s format. Adding a product adds one of these; nothing
 * central lists paths.
 *
 * <p>When API keys are configured, the product also says who may call what: its {@link #openPaths()}
 * need no key, its {@link #adminRoutes()} need the ADMIN role, everything else any valid key. The
 * gateway's security chain ({@code io.openbio.gateway.security.SecurityConfig}) is built from every
 * product's declarations; patterns are Spring's {@code PathPattern} syntax and are matched, like the
 * controllers' mappings, on the decoded path ({@code /%61udit} is {@code /audit}).
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
     * the platform's (Spring Boot's shape plus {@code error_code}, {@link ApiError#defaultBody}). Null: the
     * answer has no body (the Digital Identity Service's 401 and 403).
     */
    default Map<String, Object> errorBody(int status, String message, String path, String errorCode) {
        return ApiError.defaultBody(status, message, path, errorCode);
    }

    /**
     * The type describing {@link #errorBody}'s shape in the OpenAPI document (a record with
     * {@code @Schema} annotations); by default {@link ApiError.Body}. {@code config/OpenApiConfig} gives
     * every error response of the product's operations this schema, so the document and the bodies
     * come from one declaration.
     */
    default Class<?> errorSchema() {
        return ApiError.Body.class;
    }

    /**
     * Paths anyone may call without an API key, any method (e.g. {@code /health},
     * {@code /actuator/health/**}); none by default. They need not lie under {@link #pathPrefixes()}.
     */
    default List<String> openPaths() {
        return List.of();
    }

    /** Routes that need the ADMIN role (a USER key gets 403); none by default. */
    default List<Route> adminRoutes() {
        return List.of();
    }

    /**
     * A route: a method (null for every method) and a path pattern.
     *
     * @param method  the HTTP method, or null for any
     * @param pattern a {@code PathPattern}, e.g. {@code /audit/**}
     */
    record Route(HttpMethod method, String pattern) {
        public Route {
            if (pattern == null || !pattern.startsWith("/")) {
                throw new IllegalArgumentException("a route's pattern starts with '/': " + pattern);
            }
        }

        /** Every method on {@code pattern}. */
        public static Route any(String pattern) {
            return new Route(null, pattern);
        }

        public static Route of(HttpMethod method, String pattern) {
            return new Route(method, pattern);
        }

        @Override
        public String toString() {
            return (method == null ? "*" : method.name()) + " " + pattern;
        }
    }
}
