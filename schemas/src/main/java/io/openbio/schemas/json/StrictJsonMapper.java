package io.openbio.schemas.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The mapper for JSON that clients send: a key that appears twice in one object is a parse error
 * (Jackson's {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}) instead of the last value silently
 * winning, so a request cannot mean one thing to a proxy or a log reader that keeps the first value and
 * another to us. Every parser of client JSON in the platform uses it (the gateway's Spring MVC mapper
 * is configured the same way in its {@code application.properties}).
 */
public final class StrictJsonMapper {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictJsonMapper() {
    }

    /** The shared strict mapper (thread-safe once built, like every configured ObjectMapper). */
    public static ObjectMapper get() {
        return STRICT;
    }

    /** Whether {@code e} (or a cause) is the parser's duplicate-key error. */
    public static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            // Jackson 2: "Duplicate field 'x'"; Jackson 3 (Spring MVC's converter): "Duplicate Object property \"x\""
            if (message != null && (message.startsWith("Duplicate field") || message.startsWith("Duplicate Object property"))) {
                return true;
            }
        }
        return false;
    }
}
