package io.openbio.gateway.security;

import io.openbio.gateway.web.ApiProducts;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * API-key authentication and roles, when keys are configured ({@link ApiKeys}).
 * <ul>
 * <li>The key is read from the header each product's clients send: {@code apikey} (BioServer),
 * {@code x-api-key} (IDLive), {@code Authorization} (Digital Identity Service; a {@code Bearer }
 * prefix is accepted); any of them works on every path.</li>
 * <li>No key or an unknown key: 401; a USER key on collection administration (create or delete a
 * collection, remove a record), the audit trail ({@code /audit/**}) or {@code /admin/**}: 403. Bodies in the error format of the path's API ({@link ApiProducts}).</li>
 * <li>Open without a key: {@code /health}, {@code /actuator/health/**}, {@code /metrics},
 * {@code /bundle/public-key}, {@code /api_version}, the OpenAPI document and Swagger UI.</li>
 * <li>The key's tenant replaces any {@code X-Tenant-Id} header, so it is the tenant of every event
 * the request makes, and collections and records are isolated per tenant.</li>
 * </ul>
 * Keys are never logged; failures are logged with the path only.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class ApiKeyFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
    private static final List<String> OPEN = List.of("/health", "/actuator/health", "/metrics", "/bundle/public-key",
            "/api_version", "/v3/api-docs", "/swagger-ui", "/error");

    private final ApiKeys keys;
    private final ApiProducts products;

    public ApiKeyFilter(@Value("${openbio.security.api-keys:}") String configured, ApiProducts products) {
        this.keys = new ApiKeys(configured);
        this.products = products;
        if (!keys.enabled()) {
            log.warn("no API keys configured (OPENBIO_API_KEYS): authentication is off, tenants come from X-Tenant-Id");
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!keys.enabled()) {
            return true;
        }
        String path = request.getRequestURI();
        return OPEN.stream().anyMatch(open -> path.equals(open) || path.startsWith(open + "/") || path.startsWith(open + "."));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        Optional<ApiKeys.Principal> principal = keys.find(presentedKey(request));
        if (principal.isEmpty()) {
            log.info("{} {} -> 401 (missing or unknown API key)", request.getMethod(), path);
            reject(response, 401, "A valid API key is required (header apikey, x-api-key or Authorization)", path);
            return;
        }
        if (adminOnly(request) && !principal.get().admin()) {
            log.info("{} {} -> 403 (role {} of tenant {})", request.getMethod(), path, principal.get().role(), principal.get().tenant());
            reject(response, 403, "This operation needs the ADMIN role", path);
            return;
        }
        chain.doFilter(new TenantRequest(request, principal.get().tenant()), response);
    }

    static boolean adminOnly(HttpServletRequest request) {
        String path = request.getRequestURI();
        String method = request.getMethod();
        return path.startsWith("/admin/") || path.equals("/audit") || path.startsWith("/audit/")
                || path.equals("/collections/remove-record")
                || (path.equals("/collections") && ("POST".equals(method) || "DELETE".equals(method)));
    }

    static String presentedKey(HttpServletRequest request) {
        for (String header : List.of("apikey", "x-api-key", "Authorization")) {
            String value = request.getHeader(header);
            if (value != null && !value.isBlank()) {
                return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7) : value;
            }
        }
        return null;
    }

    private void reject(HttpServletResponse response, int status, String message, String path) throws IOException {
        products.write(response, status, message, path, "UNAUTHORIZED");
    }

    /** The request as the controllers see it: its tenant header is the key's tenant. */
    private static final class TenantRequest extends HttpServletRequestWrapper {
        private final String tenant;

        TenantRequest(HttpServletRequest request, String tenant) {
            super(request);
            this.tenant = tenant;
        }

        @Override
        public String getHeader(String name) {
            return "X-Tenant-Id".equalsIgnoreCase(name) ? tenant : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "X-Tenant-Id".equalsIgnoreCase(name) ? Collections.enumeration(List.of(tenant)) : super.getHeaders(name);
        }
    }
}
