package io.openbio.gateway.security;

import io.openbio.gateway.web.ApiProducts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The security answers in the error format of the API that owns the path ({@link ApiProducts}):
 * 401 without a valid key, 403 for a role that may not use the route, 400 for a request the
 * firewall refuses (a path that is not in its normal form: {@code ;}, encoded {@code /}, {@code .},
 * {@code \}, {@code %}, {@code //}, dot segments, control characters). The 401 and 403 bodies are
 * the ones the gateway answered before Spring Security (error code {@code UNAUTHORIZED}). Logs name
 * the method and path (control characters removed), never a key.
 */
final class SecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {
    private static final Logger log = LoggerFactory.getLogger(SecurityErrors.class);

    private final ApiProducts products;

    SecurityErrors(ApiProducts products) {
        this.products = products;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        log.info("{} {} -> 401 (missing or unknown API key)", request.getMethod(), loggable(request));
        products.write(response, 401, "A valid API key is required (header apikey, x-api-key or Authorization)",
                request.getRequestURI(), "UNAUTHORIZED");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication key && key.getPrincipal() != null) {
            log.info("{} {} -> 403 (role {} of tenant {})", request.getMethod(), loggable(request), key.getPrincipal().role(),
                    key.getPrincipal().tenant());
        }
        products.write(response, 403, "This operation needs the ADMIN role", request.getRequestURI(), "UNAUTHORIZED");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e) throws IOException {
        log.info("{} {} -> 400 (firewall: {})", request.getMethod(), loggable(request), reason(e));
        products.write(response, 400, "The request path is not in its normal form (path parameters ';', encoded '/', '\\', '.' or '%', "
                + "'//', '.' or '..' segments and control characters are refused)", request.getRequestURI(), "INVALID_PATH");
    }

    /**
     * The firewall's reason, without the values it quotes for a header or a parameter (a header may
     * hold an API key).
     */
    static String reason(RequestRejectedException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("header")) {
            return "a header name or value is not allowed";
        }
        if (message.contains("parameter")) {
            return "a parameter name or value is not allowed";
        }
        return message.replaceAll("\\p{Cntrl}", "?");
    }

    private static String loggable(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri == null ? "" : uri.replaceAll("\\p{Cntrl}", "?");
    }
}
