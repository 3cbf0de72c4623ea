package io.openbio.gateway.api.dis.customer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.gateway.web.ApiException;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.json.StrictJsonMapper;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request checks of the DIS customer operations, in the reference's error codes: a path id that is no
 * UUID is 400 {@code INVALID_ID}; malformed JSON, a field of the wrong type or one the request schema does
 * not have is 400 {@code INVALID_REQUEST_BODY}; an {@code Image} with a {@code url} is 400
 * {@code DATA_DOWNLOADER_DISABLED} (the platform downloads nothing: it runs offline); base64 that does not
 * decode is 400 {@code INVALID_IMAGE}.
 */
public final class CustomerRequests {
    /** The header that binds a customer to a DIS session. */
    public static final String SESSION_HEADER = "x-inn-session-token";
    /** {@code CustomerStoreRequest.externalId}'s pattern in the reference. */
    static final Pattern EXTERNAL_ID = Pattern.compile("^[a-zA-Z\\d._-]{1,64}$");
    /** A liveness record's selfie link ({@code LivenessSelfieOrigin.link}): customer id and record id. */
    static final Pattern RECORD_SELFIE_LINK = Pattern.compile("^/api/v1/customers/([^/]+)/liveness/records/([^/]+)/selfie$");

    private CustomerRequests() {
    }

    /** The path's customer id in canonical form, or 400 INVALID_ID. */
    public static String customerId(String id) {
        String canonical = DisContract.canonicalUuid(id);
        if (canonical == null) {
            throw new ApiException(400, "INVALID_ID", "The id '" + printable(id) + "' is not a valid UUID");
        }
        return canonical;
    }

    /** The DIS session id of the request's {@value #SESSION_HEADER} (null without one). */
    public static String sessionId(String token) {
        return DisContract.sessionId(token);
    }

    public static ApiException invalidBody(String message) {
        return new ApiException(400, "INVALID_REQUEST_BODY", message);
    }

    /** The body as a JSON object, or 400 INVALID_REQUEST_BODY (an empty body too: the operation needs one). */
    public static ObjectNode object(byte[] body) {
        if (body.length == 0) {
            throw invalidBody("The request body is missing");
        }
        JsonNode node;
        try {
            node = StrictJsonMapper.get().readTree(body);
        } catch (JsonProcessingException e) {
            throw invalidBody("The request body is not valid JSON");
        } catch (java.io.IOException e) {
            throw invalidBody("The request body cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw invalidBody("The request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** 400 INVALID_REQUEST_BODY when {@code object} has a field outside {@code allowed}. */
    public static void onlyFields(ObjectNode object, Set<String> allowed, String what) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw invalidBody(what + " has no field '" + printable(name) + "'");
            }
        }
    }

    /** A string field, null when absent or null; 400 when of another type. */
    public static String string(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalidBody("'" + field + "' must be a string");
        }
        return node.asText();
    }

    /** An object field, null when absent or null; 400 when of another type. */
    public static ObjectNode objectField(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw invalidBody("'" + field + "' must be an object");
        }
        return (ObjectNode) node;
    }

    /**
     * The reference's {@code Image {data, url}}: the decoded {@code data}. {@code url} is 400
     * DATA_DOWNLOADER_DISABLED; neither is 400 INVALID_REQUEST_BODY; data that is no base64 is 400 INVALID_IMAGE.
     */
    public static byte[] image(ObjectNode image) {
        onlyFields(image, Set.of("data", "url"), "Image");
        String data = string(image, "data");
        String url = string(image, "url");
        if (url != null && data == null) {
            throw new ApiException(400, "DATA_DOWNLOADER_DISABLED", "Images by URL are not downloaded: this platform runs offline;"
                    + " send the image in 'data' (base64)");
        }
        if (data == null || data.isEmpty()) {
            throw invalidBody("'image.data' is required");
        }
        byte[] decoded;
        try {
            // strict (line breaks allowed): the MIME decoder would skip any character that is no base64
            decoded = Base64.getDecoder().decode(data.replaceAll("[\\r\\n]", ""));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "INVALID_IMAGE", "'image.data' is not valid base64");
        }
        if (decoded.length == 0) {
            throw new ApiException(400, "INVALID_IMAGE", "'image.data' is empty");
        }
        return decoded;
    }

    /** The record id of a liveness record's selfie link of {@code customerId}; 400 INVALID_REQUEST_BODY for any other link. */
    public static String recordOfSelfieLink(String link, String customerId) {
        Matcher m = link == null ? null : RECORD_SELFIE_LINK.matcher(link);
        if (m == null || !m.matches() || !customerId.equals(DisContract.canonicalUuid(m.group(1)))
                || DisContract.canonicalUuid(m.group(2)) == null) {
            throw invalidBody("'selfieOrigin.link' must be this customer's liveness record selfie link,"
                    + " /api/v1/customers/{id}/liveness/records/{recordId}/selfie");
        }
        return DisContract.canonicalUuid(m.group(2));
    }

    /** For messages: at most 64 printable ASCII characters. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("[^\\x20-\\x7E]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
