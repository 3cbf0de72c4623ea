package io.openbio.schemas.ekyc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code checkModel} of an IDLive {@code POST /check} (seed 002), parsed and validated. The
 * gateway rejects an invalid one with 400; the processors read the normalised JSON.
 *
 * <p>Defaults where the seed is silent: FACE_CHECK without pipelines runs PRESENTATION_ATTACK,
 * DEEPFAKE_ATTACK and INJECTION_ATTACK (the seed's example); DOC_CHECK without pipelines runs all
 * four document checks; calibration REGULAR; domain GENERAL; search limit 5 and max_faces 1.
 */
public record CheckModel(List<String> operations, String domain, List<Pipeline> facePipelines,
                         List<Pipeline> docPipelines, List<String> collections, int limit, int maxFaces) {
    public static final Set<String> OPERATIONS = Set.of("FACE_CHECK", "DOC_CHECK", "FACE_MATCH_VALIDATION", "FACE_MATCH_SEARCH");
    public static final List<String> FACE_TYPES = List.of("PRESENTATION_ATTACK", "DEEPFAKE_ATTACK", "INJECTION_ATTACK");
    public static final List<String> DOC_TYPES = List.of("SCREEN_REPLAY_ATTACK", "PRINTED_COPY_ATTACK",
            "PORTRAIT_SUBSTITUTION_ATTACK", "DIGITAL_MANIPULATION_ATTACK");
    public static final Set<String> CALIBRATIONS = Set.of("REGULAR", "SOFT", "HARD");
    public static final Set<String> DOMAINS = Set.of("GENERAL", "DESKTOP");
    private static final ObjectMapper JSON = io.openbio.schemas.json.StrictJsonMapper.get();

    /** One requested check: its type, an optional pipeline name and the calibration. */
    public record Pipeline(String type, String pipeline, String calibration) {
    }

    public boolean wants(String operation) {
        return operations.contains(operation);
    }

    /**
     * The client-facing message when a part the requested operations need is absent (face for
     * FACE_CHECK and FACE_MATCH_VALIDATION, doc for DOC_CHECK and FACE_MATCH_VALIDATION, either for
     * FACE_MATCH_SEARCH), else null: {@code POST /check} and Kafka clients check the same.
     */
    public String missingPart(boolean face, boolean doc) {
        if ((wants("FACE_CHECK") || wants("FACE_MATCH_VALIDATION")) && !face) {
            return "Required part 'face' is not present (needed by " + (wants("FACE_CHECK") ? "FACE_CHECK" : "FACE_MATCH_VALIDATION") + ")";
        }
        if ((wants("DOC_CHECK") || wants("FACE_MATCH_VALIDATION")) && !doc) {
            return "Required part 'doc' is not present (needed by " + (wants("DOC_CHECK") ? "DOC_CHECK" : "FACE_MATCH_VALIDATION") + ")";
        }
        if (wants("FACE_MATCH_SEARCH") && !face && !doc) {
            return "FACE_MATCH_SEARCH needs a 'face' or a 'doc' part";
        }
        return null;
    }

    /** Parses and validates; {@link IllegalArgumentException} with a client-facing message when invalid. */
    public static CheckModel parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(io.openbio.schemas.json.StrictJsonMapper.isDuplicateKey(e)
                    ? "checkModel is not valid JSON: a key appears twice in one object" : "checkModel is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("checkModel must be a JSON object");
        }
        JsonNode ops = root.get("operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw new IllegalArgumentException("checkModel.operations must be a non-empty array");
        }
        Set<String> operations = new LinkedHashSet<>();
        for (JsonNode op : ops) {
            if (!op.isTextual() || !OPERATIONS.contains(op.asText())) {
                throw new IllegalArgumentException("Unknown operation " + op + "; expected one of " + sorted(OPERATIONS));
            }
            operations.add(op.asText());
        }
        JsonNode face = object(root, "face_check_parameters");
        String domain = text(face, "domain", "GENERAL");
        if (!DOMAINS.contains(domain)) {
            throw new IllegalArgumentException("face_check_parameters.domain must be one of " + sorted(DOMAINS));
        }
        List<Pipeline> facePipelines = pipelines(face, "face_check_parameters", FACE_TYPES);
        List<Pipeline> docPipelines = pipelines(object(root, "document_check_parameters"), "document_check_parameters", DOC_TYPES);
        JsonNode search = object(root, "face_search_parameters");
        List<String> collections = new ArrayList<>();
        if (search != null && search.has("collections")) {
            JsonNode c = search.get("collections");
            if (!c.isArray()) {
                throw new IllegalArgumentException("face_search_parameters.collections must be an array of names");
            }
            for (JsonNode name : c) {
                if (!name.isTextual() || name.asText().isBlank()) {
                    throw new IllegalArgumentException("face_search_parameters.collections must hold collection names");
                }
                collections.add(name.asText());
            }
        }
        if (operations.contains("FACE_MATCH_SEARCH") && collections.isEmpty()) {
            throw new IllegalArgumentException("FACE_MATCH_SEARCH needs face_search_parameters.collections");
        }
        int limit = integer(search, "limit", 5, 1, 1000, "face_search_parameters.limit");
        int maxFaces = integer(search, "max_faces", 1, 1, 100, "face_search_parameters.max_faces");
        return new CheckModel(List.copyOf(operations), domain, facePipelines, docPipelines, List.copyOf(collections), limit, maxFaces);
    }

    /** The normalised JSON (what travels in events). */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode ops = root.putArray("operations");
        operations.forEach(ops::add);
        ObjectNode face = root.putObject("face_check_parameters");
        face.put("domain", domain);
        write(face.putArray("pipelines"), facePipelines);
        write(root.putObject("document_check_parameters").putArray("pipelines"), docPipelines);
        ObjectNode search = root.putObject("face_search_parameters");
        ArrayNode cols = search.putArray("collections");
        collections.forEach(cols::add);
        search.put("limit", limit);
        search.put("max_faces", maxFaces);
        return root.toString();
    }

    private static void write(ArrayNode array, List<Pipeline> pipelines) {
        for (Pipeline p : pipelines) {
            ObjectNode node = array.addObject();
            node.put("type", p.type());
            if (p.pipeline() != null) {
                node.put("pipeline", p.pipeline());
            }
            node.put("calibration", p.calibration());
        }
    }

    private static List<Pipeline> pipelines(JsonNode parameters, String where, List<String> types) {
        List<Pipeline> out = new ArrayList<>();
        JsonNode list = parameters == null ? null : parameters.get("pipelines");
        if (list == null || list.isNull()) {
            types.forEach(t -> out.add(new Pipeline(t, null, "REGULAR")));
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(where + ".pipelines must be an array");
        }
        for (JsonNode item : list) {
            String type = text(item, "type", null);
            if (type == null || !types.contains(type)) {
                throw new IllegalArgumentException(where + ".pipelines[].type must be one of " + types);
            }
            String calibration = text(item, "calibration", "REGULAR");
            if (!CALIBRATIONS.contains(calibration)) {
                throw new IllegalArgumentException(where + ".pipelines[].calibration must be one of " + sorted(CALIBRATIONS));
            }
            out.add(new Pipeline(type, text(item, "pipeline", null), calibration));
        }
        return out;
    }

    private static JsonNode object(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + " must be an object");
        }
        return node;
    }

    private static String text(JsonNode node, String field, String fallback) {
        if (node == null || !node.has(field) || node.get(field).isNull()) {
            return fallback;
        }
        if (!node.get(field).isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return node.get(field).asText();
    }

    private static int integer(JsonNode node, String field, int fallback, int min, int max, String name) {
        if (node == null || !node.has(field) || node.get(field).isNull()) {
            return fallback;
        }
        JsonNode value = node.get(field);
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw new IllegalArgumentException(name + " must be an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
