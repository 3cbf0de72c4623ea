package io.openbio.bundle.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON as the format allows it: strict UTF-8 (no BOM), one top-level object, no duplicate member
 * names, no trailing content, shallow nesting, bounded strings and numbers.
 */
public final class StrictJson {
    private StrictJson() {}

    private static final int MAX_STRING = 64 * 1024;
    private static final ObjectMapper MAPPER;

    static {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(16)
                        .maxNumberLength(32)
                        .maxStringLength(MAX_STRING)
                        .build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        MAPPER = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    }

    /** Parses {@code utf8} as one JSON object; any deviation is an {@link IOException}. */
    public static ObjectNode parseObject(byte[] utf8) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not valid UTF-8", e);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new IOException("byte order mark is not allowed");
        }
        JsonNode node = MAPPER.readTree(text);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return (ObjectNode) node;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
