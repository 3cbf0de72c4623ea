package io.openbio.gateway.api.bioserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.gateway.web.ApiException;
import io.openbio.schemas.contract.BioServerContract;
import io.openbio.schemas.json.StrictJsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The BioServer API's request checks: ids, enumerations, flags and the JSON objects the clients send.
 * Every refusal is a 400 (an id in a path that is no UUID: 404, as an unknown one) in the BioServer
 * error format ({@link BioServerApi}); nothing refused reaches the pipeline.
 */
final class BioServerRequests {
    /** The seed's modes: CreateFaceFromImage lists F5_2_VID75, F5_1_VID0, F5_3_VID60; CreateDirectFace F5_2_VID75, F5_1_VID60, F5_3_VID60. */
    static final List<String> MODES = List.of("F5_2_VID75", "F5_1_VID0", "F5_1_VID60", "F5_3_VID60");
    /** The mode {@code GET /v2/capabilities} reports (the seed's example); the platform codes every mode with its one face model. */
    static final String CURRENT_MODE = "F5_1_VID60";
    /** The image types of an age estimation. */
    static final List<String> AGE_IMAGE_TYPES = List.of("SELFIE", "VIDEO_FRAME");
    /** The longest correlationId, evidenceId or friendlyName taken (the seed gives none; they travel in events and audit records). */
    static final int MAX_TEXT = 256;

    private BioServerRequests() {
    }

    static ApiException invalid(String what) {
        return new ApiException(400, "INVALID_REQUEST", "Invalid request: " + what);
    }

    static ApiException sessionNotFound() {
        return new ApiException(404, "NOT_FOUND", "Session not found");
    }

    static ApiException faceNotFound() {
        return new ApiException(404, "NOT_FOUND", "Face not found");
    }

    /** A session id from a path: a UUID in its canonical form (lower-cased); anything else is an unknown session (404). */
    static String sessionId(String id) {
        String canonical = uuid(id);
        if (canonical == null) {
            throw sessionNotFound();
        }
        return canonical;
    }

    /** A face id from a path, as {@link #sessionId}. */
    static String faceId(String id) {
        String canonical = uuid(id);
        if (canonical == null) {
            throw faceNotFound();
        }
        return canonical;
    }

    /** The canonical (lower-case) form of a UUID written with its 36 characters, or null. */
    static String uuid(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(id);
            String canonical = uuid.toString();
            return canonical.equalsIgnoreCase(id) ? canonical : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A JSON body or part that must be one object: the object itself, or a one-element array holding it
     * (the seed's curl examples send {@code [{...}]}). Malformed JSON, a key twice, anything else: 400.
     */
    static ObjectNode object(byte[] json, String what) {
        if (json == null || json.length == 0) {
            throw invalid(what + " is required");
        }
        JsonNode node;
        try {
            node = StrictJsonMapper.get().readTree(json);
        } catch (IOException e) {
            throw invalid(what + " is not valid JSON");
        }
        if (node != null && node.isArray() && node.size() == 1) {
            node = node.get(0);
        }
        if (node == null || !node.isObject()) {
            throw invalid(what + " must be a JSON object (or an array holding one object)");
        }
        return (ObjectNode) node;
    }

    /** The object's JSON bytes (compact UTF-8), e.g. to forward a Face without its array wrapper. */
    static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A string field, or null when absent or null; another JSON type is a 400. */
    static String string(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid("'" + field + "' must be a string");
        }
        return node.asText();
    }

    /** A short free text (correlationId, evidenceId, friendlyName): at most {@value #MAX_TEXT} characters, no control characters. */
    static String shortText(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw invalid("'" + field + "' must be at most " + MAX_TEXT + " characters, without control characters");
        }
        return value;
    }

    /** A flag: a JSON boolean, or the string "true" / "false" (the seed types signatureDisabled as a string); null when absent. */
    static Boolean flag(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            return flag(node.asText(), field);
        }
        throw invalid("'" + field + "' must be true or false");
    }

    /** A flag given as text (a multipart field, a query parameter); null when absent. */
    static Boolean flag(String text, String field) {
        if (text == null) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw invalid("'" + field + "' must be true or false");
        };
    }

    /** One of {@code allowed} (exactly as written there), or null when absent; another value is a 400 naming the allowed ones. */
    static String oneOf(String value, List<String> allowed, String field) {
        if (value == null) {
            return null;
        }
        if (!allowed.contains(value)) {
            throw invalid("'" + field + "' must be one of " + String.join(", ", allowed));
        }
        return value;
    }

    /** A required image type (ID_DOCUMENT, SELFIE or VIDEO_FRAME). */
    static String imageType(String value, String field) {
        if (value == null || value.isBlank()) {
            throw invalid("'" + field + "' is required");
        }
        return oneOf(value, BioServerContract.IMAGE_TYPES, field);
    }

    /** Puts {@code value} under {@code key} when it is not null. */
    static void put(Map<String, String> attributes, String key, Object value) {
        if (value != null) {
            attributes.put(key, value.toString());
        }
    }
}
