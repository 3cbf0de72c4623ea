package io.openbio.gateway.api.iad;

import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code openbio.iad.*}: what {@code GET /api_version} reports. The IAD Server reports a licence
 * expiration date; this platform has no licence, so it reports the configured date (default
 * 2099-12-31T23:59:59Z), which {@code /metrics} also exposes as
 * {@code openbio_license_expiration_timestamp_seconds} for monitoring that expects it.
 */
@ConfigurationProperties("openbio.iad")
public record IadProperties(String version, Instant expirationDate) {
    public IadProperties {
        if (version == null || version.isBlank()) {
            version = "1.7.3";
        }
        if (expirationDate == null) {
            expirationDate = Instant.parse("2099-12-31T23:59:59Z");
        }
    }
}
