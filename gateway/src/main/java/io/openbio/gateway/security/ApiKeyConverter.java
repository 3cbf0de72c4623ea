package io.openbio.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the API key from the header each product's clients send: {@code apikey} (BioServer),
 * {@code x-api-key} (IDLive), {@code Authorization} (Digital Identity Service; a {@code Bearer }
 * prefix is accepted); the first non-blank one in that order, on every path. No key: null, so the
 * request goes on unauthenticated and the authorization rules answer 401 where a key is needed.
 */
public final class ApiKeyConverter implements AuthenticationConverter {
    static final List<String> HEADERS = List.of("apikey", "x-api-key", "Authorization");

    @Override
    public Authentication convert(HttpServletRequest request) {
        String key = presentedKey(request);
        return key == null ? null : ApiKeyAuthentication.presented(key);
    }

    static String presentedKey(HttpServletRequest request) {
        for (String header : HEADERS) {
            String value = request.getHeader(header);
            if (value != null && !value.isBlank()) {
                return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7) : value;
            }
        }
        return null;
    }
}
