package io.openbio.gateway.api.challenge;

import io.openbio.gateway.web.ApiProduct;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Active-liveness challenges ({@code POST /challenge}, {@code POST /challenge/verify}); errors in the
 * platform default format ({@code error_code} included), as the IAD Server API's.
 */
@Component
public class ChallengeApi implements ApiProduct {
    @Override
    public String name() {
        return "challenge";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/challenge");
    }
}
