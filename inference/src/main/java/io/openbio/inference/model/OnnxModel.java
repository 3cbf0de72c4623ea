package io.openbio.inference.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ONNX model loaded with DJL's ONNX Runtime engine ({@code ai.djl.onnxruntime}), created once
 * and shared: {@link #run} is thread-safe (each call works in its own DJL sub-manager; the ONNX
 * Runtime session underneath is thread-safe).
 *
 * <p>The process-wide ONNX Runtime environment is owned by DJL's engine: this class never creates
 * an {@code OrtEnvironment} itself (creating one before DJL's engine makes DJL fail with "thread
 * pool already exists"). Other code in the process must not create one first either; ask
 * {@link #engine()} instead.
 *
 * <p>Configuration (system properties): {@code openbio.inference.intraOpThreads} (threads one
 * model call may use, default 1: measured best for several request threads on few cores, see
 * BENCHMARKS.md), {@code openbio.inference.interOpThreads} (default 1). DJL runs with {@code ai.djl.offline=true} unless that property is already set: no
 * engine or model is ever downloaded.
 */
public final class OnnxModel implements AutoCloseable {
    public static final String ENGINE = "OnnxRuntime";
    public static final String INTRA_OP_THREADS = "openbio.inference.intraOpThreads";
    public static final String INTER_OP_THREADS = "openbio.inference.interOpThreads";

    private static volatile Engine engine;

    private final ModelSpec spec;
    private final String label;
    private final Model model;
    private final Block block;

    private OnnxModel(ModelSpec spec, String label, Model model) {
        this.spec = spec;
        this.label = label;
        this.model = model;
        this.block = model.getBlock();
    }

    /** DJL's ONNX Runtime engine, created once (offline, tmpdir created). */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (OnnxModel.class) {
                e = engine;
                if (e == null) {
                    if (System.getProperty("ai.djl.offline") == null) {
                        System.setProperty("ai.djl.offline", "true");
                    }
                    try {
                        // ONNX Runtime unpacks its natives under java.io.tmpdir: make sure it exists.
                        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
                    } catch (Exception ignored) {
                        // the native loader reports the real problem
                    }
                    e = Engine.getEngine(ENGINE);
                    engine = e;
                }
            }
        }
        return e;
    }

    /**
     * Intra-op threads per model call: {@value #INTRA_OP_THREADS}, default 1. With 2 intra-op
     * threads on the 2-core build machine the verification chain was 4x slower (ONNX Runtime's
     * spinning worker threads compete with the request threads); see BENCHMARKS.md.
     */
    public static int intraOpThreads() {
        return Math.max(1, Integer.getInteger(INTRA_OP_THREADS, 1));
    }

    private static Map<String, String> sessionOptions() {
        Map<String, String> o = new HashMap<>();
        o.put("intraOpNumThreads", String.valueOf(intraOpThreads()));
        o.put("interOpNumThreads", String.valueOf(Math.max(1, Integer.getInteger(INTER_OP_THREADS, 1))));
        o.put("optLevel", "ALL_OPT");
        return o;
    }

    /** Loads a model of the manifest after checking its SHA-256. */
    public static OnnxModel load(ModelRepository repo, String id) {
        ModelSpec spec = repo.manifest().spec(id);
        Path path = repo.verifiedPath(id);
        return loadFile(spec, id, path);
    }

    /** Loads an ONNX file the caller has already verified (e.g. a pluggable check). */
    public static OnnxModel loadFile(ModelSpec spec, String label, Path path) {
        engine();
        Model m = Model.newInstance(label, ENGINE);
        try {
            m.load(path, null, sessionOptions());
            return new OnnxModel(spec, label, m);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, "DJL / ONNX Runtime cannot load model '" + label
                    + "' from " + path + ": " + e.getMessage(), e);
        }
    }

    /** Loads an ONNX model from bytes (e.g. one converted in memory from another format). */
    public static OnnxModel loadBytes(ModelSpec spec, String label, byte[] onnx) {
        engine();
        Model m = Model.newInstance(label, ENGINE);
        try {
            m.load(new ByteArrayInputStream(onnx), sessionOptions());
            return new OnnxModel(spec, label, m);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, "DJL / ONNX Runtime cannot load model '" + label
                    + "': " + e.getMessage(), e);
        }
    }

    /** The manifest row this model was loaded from (null for a file given by configuration). */
    public ModelSpec spec() {
        return spec;
    }

    public String label() {
        return label;
    }

    /** Runs the model on one float tensor; returns every output flattened, by output name. */
    public Map<String, float[]> run(float[] input, long... shape) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray x = m.create(FloatBuffer.wrap(input), new Shape(shape));
            NDList out = block.forward(new ParameterStore(m, false), new NDList(x), false);
            Map<String, float[]> result = new LinkedHashMap<>();
            for (NDArray a : out) {
                result.put(a.getName(), a.toFloatArray());
            }
            return result;
        } catch (RuntimeException ex) {
            throw new IllegalStateException("inference failed in model " + label + ": " + ex.getMessage(), ex);
        }
    }

    /** Runs the model and returns its first output, flattened. */
    public float[] runFirst(float[] input, long... shape) {
        return run(input, shape).values().iterator().next();
    }

    /** Input names as the model declares them, for documentation and checks. */
    public String describe() {
        return label + ": in " + block.describeInput();
    }

    @Override
    public void close() {
        model.close();
    }
}
