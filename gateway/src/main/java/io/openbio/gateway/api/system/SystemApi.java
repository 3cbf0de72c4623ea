package io.openbio.gateway.api.system;

import io.openbio.gateway.web.ApiProduct;
import java.util.List;
import org.springframework.stereotype.Component;

/** Health, metrics and the API documentation (open), {@code /admin/**} (ADMIN); errors in the platform default format. */
@Component
public class SystemApi implements ApiProduct {
    @Override
    public String name() {
        return "system";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/health", "/metrics");
    }

    /** Probes, scraping and the API documentation need no key. */
    @Override
    public List<String> openPaths() {
        return List.of("/health", "/actuator/health", "/actuator/health/**", "/metrics",
                "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**");
    }

    /** Operator endpoints, present and future. */
    @Override
    public List<Route> adminRoutes() {
        return List.of(Route.any("/admin"), Route.any("/admin/**"));
    }
}
