package io.openbio.gateway.api.diagnostic;

import io.openbio.gateway.web.ApiException;
import io.openbio.schemas.callback.CallbackDestinationPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks a request's {@code callbackUrl} when the request is accepted, with the same
 * {@link CallbackDestinationPolicy} the callback stage applies before every attempt: a URL with
 * credentials, another scheme, or a host that resolves to a loopback, private, link-local or metadata
 * address is a 400 at once instead of a callback that is refused later. A host that does not resolve
 * now is accepted: the stage resolves and checks it again before each attempt (and connects only to
 * the address it checked), so accepting it opens nothing.
 *
 * <p>Allow-list: {@code openbio.callback.allow} / {@code OPENBIO_CALLBACK_ALLOW}, the same setting as the
 * callback stage's (see {@link CallbackDestinationPolicy#parse}).
 */
@Component
public class CallbackUrlValidator {
    private static final Logger log = LoggerFactory.getLogger(CallbackUrlValidator.class);

    private final CallbackDestinationPolicy policy;

    public CallbackUrlValidator(@Value("${openbio.callback.allow:}") String allow) {
        this.policy = CallbackDestinationPolicy.parse(allow, InetAddress::getAllByName);
        if (policy.hasAllowList()) {
            log.warn("callback allow-list set (OPENBIO_CALLBACK_ALLOW): callbacks may reach the internal addresses it names");
        }
    }

    /**
     * @return the URL to put on the request (trimmed), or null when none was given
     * @throws ApiException 400 naming why the URL is refused
     */
    public String validate(String tenant, String callbackUrl) {
        if (callbackUrl == null || callbackUrl.isBlank()) {
            return null;
        }
        try {
            return policy.check(tenant, callbackUrl).uri().toString();
        } catch (CallbackDestinationPolicy.RefusedException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (UnknownHostException e) {
            try {
                return CallbackDestinationPolicy.syntax(callbackUrl).toString();
            } catch (CallbackDestinationPolicy.RefusedException refused) {
                throw ApiException.badRequest(refused.getMessage());
            }
        }
    }
}
