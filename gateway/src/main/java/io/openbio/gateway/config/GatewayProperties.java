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
}
