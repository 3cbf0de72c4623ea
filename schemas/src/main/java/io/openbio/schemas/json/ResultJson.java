package io.openbio.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.DiagnosticResult;
import io.openbio.events.ErrorInfo;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;

/**
 * The platform's generic JSON view of a {@link ResultEvent}: the body of the diagnostic endpoint
 * and of every callback POST. Product APIs render their own bodies from the typed payload.
 *
 * <pre>{"requestId":..., "operation":..., "status":"OK"|"ERROR", "createdAt":..., "completedAt":...,
 *  "result":{...}|null, "error":{"status":..,"code":..,"message":..}|null, "stages":[{"stage","instance","at"}]}</pre>
 */
public final class ResultJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    public static ObjectNode toJson(ResultEvent event) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("requestId", event.getRequestId());
        root.put("operation", event.getOperation());
        root.put("status", event.getError() == null ? "OK" : "ERROR");
        root.put("createdAt", event.getCreatedAt().toString());
        root.put("completedAt", event.getCompletedAt().toString());
        root.set("result", payload(event.getPayload()));
        ErrorInfo error = event.getError();
        if (error == null) {
            root.putNull("error");
        } else {
            ObjectNode e = root.putObject("error");
            e.put("status", error.getStatus());
            e.put("code", error.getCode());
            e.put("message", error.getMessage());
        }
        var stages = root.putArray("stages");
        for (StageTrace trace : event.getTrace()) {
            ObjectNode s = stages.addObject();
            s.put("stage", trace.getStage());
            s.put("instance", trace.getInstance());
            s.put("at", trace.getAt().toString());
        }
        return root;
    }

    public static String toJsonString(ResultEvent event) {
        return toJson(event).toString();
    }

    private static JsonNode payload(Object payload) {
        if (payload instanceof DiagnosticResult d) {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("sha256", d.getSha256());
            node.put("sizeBytes", d.getSizeBytes());
            node.put("imageFormat", d.getImageFormat());
            if (d.getWidth() == null) {
                node.putNull("width");
            } else {
                node.put("width", d.getWidth());
            }
            if (d.getHeight() == null) {
                node.putNull("height");
            } else {
                node.put("height", d.getHeight());
            }
            return node;
        }
        return MAPPER.nullNode();
    }
}
