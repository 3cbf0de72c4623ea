package io.openbio.gateway.api.dis.face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.gateway.web.ApiException;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.json.StrictJsonMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Set;

/**
 * The checks of DIS face and palm requests: ids, JSON bodies, {@code Image}, crop sizes. Every refusal is a
 * 4xx with a DIS {@code errorCode} ({@link io.openbio.gateway.api.dis.DisApi}); nothing refused reaches the
 * pipeline.
 */
final class DisFaceRequests {
    /** The largest crop side ({@code width}, {@code height}) taken. */
    static final int MAX_CROP_SIDE = 4096;

    private DisFaceRequests() {
    }

    static ApiException body(String message) {
        return new ApiException(400, "INVALID_REQUEST_BODY", message);
    }

    /** A face or palm id from a path: a UUID (canonical lowercase), else 400 INVALID_ID. */
    static String id(String id) {
        String canonical = DisContract.canonicalUuid(id);
        if (canonical == null) {
            throw new ApiException(400, "INVALID_ID", "Invalid id: a UUID is expected");
        }
        return canonical;
    }

    /** The body as one JSON object with only {@code allowed} fields; anything else is 400 INVALID_REQUEST_BODY. */
    static ObjectNode object(byte[] json, Set<String> allowed) {
        if (json == null || json.length == 0) {
            throw body("A JSON body is required");
        }
        JsonNode node;
        try {
            node = StrictJsonMapper.get().readTree(json);
        } catch (IOException e) {
            throw body("The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw body("The body must be a JSON object");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw body("Unknown field '" + field + "'");
            }
        });
        return (ObjectNode) node;
    }

    /** A field that must be an object when present (null when absent or JSON null). */
    static ObjectNode objectField(JsonNode parent, String field, Set<String> allowed) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw body("'" + field + "' must be an object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw body("Unknown field '" + field + "." + name + "'");
            }
        });
        return (ObjectNode) node;
    }

    /** A string field (null when absent or JSON null); another type is 400 INVALID_REQUEST_BODY. */
    static String string(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw body("'" + field + "' must be a string");
        }
        return node.asText();
    }

    /**
     * {@code Image {data, url}}: the decoded {@code data}. {@code url}: 400 DATA_DOWNLOADER_DISABLED (the platform
     * downloads nothing); neither, or data that is no Base64: 400 INVALID_REQUEST_BODY / INVALID_IMAGE.
     *
     * @param urlAllowed false where the reference's image has no {@code url} (palms): a url is then an unknown field
     */
    static byte[] image(ObjectNode image, boolean urlAllowed) {
        if (image == null) {
            throw body("'image' is required");
        }
        String url = urlAllowed ? string(image, "url") : null;
        String data = string(image, "data");
        if (url != null && data == null) {
            throw new ApiException(400, "DATA_DOWNLOADER_DISABLED", "Images by URL are disabled on this platform (it downloads nothing):"
                    + " send the image in 'data'");
        }
        if (data == null || data.isBlank()) {
            throw body("'image.data' is required");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "INVALID_IMAGE", "'image.data' is not Base64");
        }
        if (bytes.length == 0) {
            throw new ApiException(400, "INVALID_IMAGE", "'image.data' is empty");
        }
        return bytes;
    }

    /** A crop side: absent 0; else a whole number from 1 to {@value #MAX_CROP_SIDE}, or 400 INVALID_REQUEST_PARAMETER. */
    static int side(String value, String name) {
        if (value == null) {
            return 0;
        }
        try {
            int side = Integer.parseInt(value.strip());
            if (side >= 1 && side <= MAX_CROP_SIDE) {
                return side;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ApiException(400, "INVALID_REQUEST_PARAMETER", "'" + name + "' must be a whole number from 1 to " + MAX_CROP_SIDE);
    }
}
