package io.openbio.gateway.web;

import io.openbio.events.Signal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Capture signals as the JSON the APIs show them: {@code [{"name","passed","detail","value"}]}. */
public final class SignalsJson {
    private SignalsJson() {
    }

    public static List<Map<String, Object>> of(List<Signal> signals) {
        List<Map<String, Object>> json = new ArrayList<>();
        if (signals == null) {
            return json;
        }
        for (Signal signal : signals) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", signal.getName());
            s.put("passed", signal.getPassed());
            s.put("detail", signal.getDetail());
            s.put("value", signal.getValue());
            json.add(s);
        }
        return json;
    }
}
