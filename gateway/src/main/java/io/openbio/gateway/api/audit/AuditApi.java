package io.openbio.gateway.api.audit;

import io.openbio.gateway.web.ApiProduct;
import java.util.List;
import org.springframework.stereotype.Component;

/** The audit read API's paths (ADMIN only when API keys are on); errors in the platform default format. */
@Component
public class AuditApi implements ApiProduct {
    @Override
    public String name() {
        return "audit";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/audit");
    }

    /** The audit trail is for operators: every method, every path under {@code /audit}. */
    @Override
    public List<Route> adminRoutes() {
        return List.of(Route.any("/audit"), Route.any("/audit/**"));
    }
}
