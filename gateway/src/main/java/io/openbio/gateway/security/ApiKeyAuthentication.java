package io.openbio.gateway.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An API key as Spring Security sees it: before authentication it carries the presented key (the
 * credentials; never logged, erased once checked), after it the key's {@link ApiKeys.Principal}
 * (tenant and role) and the authority {@code ROLE_USER} or {@code ROLE_ADMIN}.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {
    private final ApiKeys.Principal principal;
    private String key;

    private ApiKeyAuthentication(String key, ApiKeys.Principal principal) {
        super(principal == null ? List.of() : List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())));
        this.key = key;
        this.principal = principal;
        super.setAuthenticated(principal != null);
    }

    /** A key as presented, not yet checked. */
    public static ApiKeyAuthentication presented(String key) {
        return new ApiKeyAuthentication(key, null);
    }

    /** The caller a checked key stands for. */
    public static ApiKeyAuthentication authenticated(ApiKeys.Principal principal) {
        return new ApiKeyAuthentication(null, principal);
    }

    @Override
    public Object getCredentials() {
        return key;
    }

    /** The key's tenant and role once authenticated; null before. */
    @Override
    public ApiKeys.Principal getPrincipal() {
        return principal;
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("only the API-key provider authenticates an API key");
        }
        super.setAuthenticated(false);
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        key = null;
    }
}
