package io.openbio.gateway.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Checks a presented API key against the configured ones ({@link ApiKeys}, hashed, compared in constant time). */
public final class ApiKeyAuthenticationProvider implements AuthenticationProvider {
    private final ApiKeys keys;

    public ApiKeyAuthenticationProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Object key = authentication.getCredentials();
        return keys.find(key instanceof String s ? s : null)
                .map(ApiKeyAuthentication::authenticated)
                // Deliberately without the key: exception messages end up in logs.
                .orElseThrow(() -> new BadCredentialsException("missing or unknown API key"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
