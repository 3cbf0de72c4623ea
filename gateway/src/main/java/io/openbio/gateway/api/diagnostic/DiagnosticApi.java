package io.openbio.gateway.api.diagnostic;

import io.openbio.gateway.web.ApiProduct;
import java.util.List;
import org.springframework.stereotype.Component;

/** The diagnostic round trip's paths; errors in the platform default format. */
@Component
public class DiagnosticApi implements ApiProduct {
    @Override
    public String name() {
        return "diagnostic";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/diagnostic");
    }
}
