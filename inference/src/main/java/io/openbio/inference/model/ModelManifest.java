package io.openbio.inference.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The committed model manifest, read from the classpath copy of {@code inference/models.tsv}. */
public final class ModelManifest {
    public static final String RESOURCE = "/io/openbio/inference/model/models.tsv";

    private final Map<String, ModelSpec> byId;

    private ModelManifest(Map<String, ModelSpec> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    public static ModelManifest load() {
        try (InputStream in = ModelManifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("model manifest " + RESOURCE + " is not on the classpath");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelManifest parse(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = r.readLine();
        if (header == null) {
            throw new IllegalStateException("empty model manifest");
        }
        List<String> cols = Arrays.asList(header.split("\t", -1));
        Map<String, ModelSpec> map = new LinkedHashMap<>();
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            ModelSpec spec = new ModelSpec(get(cols, f, "id"), get(cols, f, "task"), get(cols, f, "version"),
                    get(cols, f, "source"), get(cols, f, "member"), get(cols, f, "file"), get(cols, f, "sha256"),
                    get(cols, f, "licence"), get(cols, f, "input"), get(cols, f, "output"));
            map.put(spec.id(), spec);
        }
        return new ModelManifest(map);
    }

    private static String get(List<String> cols, String[] f, String name) {
        int i = cols.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("model manifest lacks column '" + name + "'");
        }
        return i < f.length ? f[i] : "";
    }

    public ModelSpec spec(String id) {
        ModelSpec s = byId.get(id);
        if (s == null) {
            throw new IllegalArgumentException("model '" + id + "' is not in the manifest " + RESOURCE);
        }
        return s;
    }

    public List<ModelSpec> all() {
        return new ArrayList<>(byId.values());
    }
}
