package io.openbio.gateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes the authenticated key's tenant the request's tenant: the controllers read
 * {@code X-Tenant-Id}, and behind this filter that header is the key's tenant whatever the client
 * sent, so it is the tenant of every event the request makes (collections, records and audit
 * records are isolated per tenant). Requests without an authenticated key (open paths, or keys not
 * configured) pass unchanged.
 */
final class TenantFilter extends OncePerRequestFilter {
    static final String TENANT_HEADER = "X-Tenant-Id";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof ApiKeyAuthentication key && key.isAuthenticated() && key.getPrincipal() != null) {
            chain.doFilter(new TenantRequest(request, key.getPrincipal().tenant()), response);
        } else {
            chain.doFilter(request, response);
        }
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
            return TENANT_HEADER.equalsIgnoreCase(name) ? tenant : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return TENANT_HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(tenant)) : super.getHeaders(name);
        }
    }
}
