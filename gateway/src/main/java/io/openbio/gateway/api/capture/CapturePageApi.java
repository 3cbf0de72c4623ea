package io.openbio.gateway.api.capture;

import io.openbio.gateway.web.ApiProduct;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The web capture page ({@code /capture/}, static files under {@code static/capture/}): open, like the
 * API documentation, since it holds no data. The calls it makes ({@code POST /challenge},
 * {@code POST /challenge/verify}) need a key when keys are on: the page sends the one typed in its
 * settings as {@code x-api-key}.
 */
@Component
public class CapturePageApi implements ApiProduct {
    @Override
    public String name() {
        return "capture-page";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/capture");
    }

    @Override
    public List<String> openPaths() {
        return List.of("/capture", "/capture/", "/capture/**");
    }
}
