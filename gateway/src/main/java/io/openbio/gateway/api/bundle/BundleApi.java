package io.openbio.gateway.api.bundle;

import io.openbio.gateway.web.ApiProduct;
import java.util.List;
import org.springframework.stereotype.Component;

/** The capture-bundle key and nonce paths; errors in the platform default format. */
@Component
public class BundleApi implements ApiProduct {
    @Override
    public String name() {
        return "bundle";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/bundle");
    }

    /** A capture client fetches the public key before it has anything to send; nonces need a key (they are per tenant). */
    @Override
    public List<String> openPaths() {
        return List.of("/bundle/public-key");
    }
}
