package io.openbio.gateway.api.iad;

import io.openbio.gateway.web.ApiProduct;
import java.util.List;
import org.springframework.stereotype.Component;

/** The IAD Server API's (seed 000) paths; its error body is the platform default ({@code error_code} included). */
@Component
public class IadApi implements ApiProduct {
    @Override
    public String name() {
        return "iad";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/check_capture_liveness", "/extract_image", "/api_version");
    }

    /** The seed's version probe is public. */
    @Override
    public List<String> openPaths() {
        return List.of("/api_version");
    }
}
