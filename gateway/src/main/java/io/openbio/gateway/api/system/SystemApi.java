package io.openbio.gateway.api.system;

import io.openbio.gateway.web.ApiProduct;
import java.util.List;
import org.springframework.stereotype.Component;

/** Health and metrics; errors in the platform default format. */
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
}
