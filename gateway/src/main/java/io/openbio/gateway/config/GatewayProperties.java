package io.openbio.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Gateway settings ({@code openbio.gateway.*}).
 *
 * @param instanceId     this instance's name; its reply topic is {@code openbio.replies.<instanceId>}.
 *                       Keep it stable across restarts (the pod name of a StatefulSet, or the
 *                       host name plus port, the default) so reply topics are reused.
 * @param requestTimeout how long a request waits for its result before the gateway answers 504;
 *                       the late result stays on the result topic.
 * @param defaultTenant  tenant of requests that do not name one (header {@code X-Tenant-Id}).
 */
@ConfigurationProperties("openbio.gateway")
public record GatewayProperties(String instanceId, Duration requestTimeout, String defaultTenant) {
    public GatewayProperties {
        if (requestTimeout == null) {
            requestTimeout = Duration.ofSeconds(30);
        }
        if (defaultTenant == null || defaultTenant.isBlank()) {
            defaultTenant = "default";
        }
    }

    private static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * The tenant a request names in {@code X-Tenant-Id} (the default tenant when it names none). It
     * becomes part of event keys, state and audit records, so it must be 1-64 letters, digits,
     * '.', '_' or '-' (starting with a letter or digit); anything else is the caller's mistake (400).
     */
    public String tenantOf(String header) {
        if (header == null || header.isBlank()) {
            return defaultTenant;
        }
        String tenant = header.trim();
        if (!TENANT.matcher(tenant).matches()) {
            throw io.openbio.gateway.web.ApiException.badRequest(
                    "X-Tenant-Id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return tenant;
    }
}
