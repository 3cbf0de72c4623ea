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
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>Batching: {@link #runBatch} runs N inputs as one {@code [N, ...]} tensor when the model file
 * declares a symbolic batch dimension ({@link #batchable()}, read from the ONNX input and output
 * shapes through ONNX Runtime), and falls back to one call per input otherwise (every faceplugin
 * model and BlazeFace are exported with batch 1; the converted TF.js models have {@code N}).
 */
public final class OnnxModel implements AutoCloseable {
    public static final String ENGINE = "OnnxRuntime";
    public static final String INTRA_OP_THREADS = "openbio.inference.intraOpThreads";
    public static final String INTER_OP_THREADS = "openbio.inference.interOpThreads";

    /** At most this many inputs go into one batched call; longer lists are split. */
    public static final int MAX_BATCH = 32;

    private static volatile Engine engine;

    private final ModelSpec spec;
    private final String label;
    private final Model model;
    private final Block block;
    // where the model came from, to read its declared shapes once (DJL's describeInput has no shapes for ORT)
    private final Path sourcePath;
    private final byte[] sourceBytes;
    private volatile Signature signature;

    /** Declared shapes of the model file: -1 marks a symbolic (dynamic) dimension. */
    private record Signature(List<long[]> inputs, List<long[]> outputs) {
        boolean batchable() {
            if (inputs.size() != 1 || outputs.isEmpty()) {
                return false;
            }
            for (List<long[]> l : List.of(inputs, outputs)) {
                for (long[] s : l) {
                    if (s.length == 0 || s[0] >= 0) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private OnnxModel(ModelSpec spec, String label, Model model, Path sourcePath, byte[] sourceBytes) {
        this.spec = spec;
        this.label = label;
        this.model = model;
        this.block = model.getBlock();
        this.sourcePath = sourcePath;
        this.sourceBytes = sourceBytes;
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
            return new OnnxModel(spec, label, m, path, null);
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
            return new OnnxModel(spec, label, m, null, onnx);
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

    /**
     * Runs the model on several inputs of the same shape. {@code itemShape} is the shape of ONE
     * input without the batch dimension (e.g. {@code 3, 112, 112}). When the model declares a
     * symbolic batch dimension ({@link #batchable()}) the inputs go in as one {@code [N, ...]}
     * tensor (in chunks of at most {@link #MAX_BATCH}); otherwise, and for a single input, each
     * runs alone as {@code [1, ...]}, exactly as {@link #run} does. Returns one output map per
     * input, in input order (each output flattened, by output name); an empty list for no inputs.
     */
    public List<Map<String, float[]>> runBatch(List<float[]> inputs, long... itemShape) {
        int n = inputs.size();
        if (n == 0) {
            return List.of();
        }
        long per = 1;
        for (long d : itemShape) {
            per *= d;
        }
        for (float[] x : inputs) {
            if (x.length != per) {
                throw new IllegalArgumentException("model " + label + ": input of " + x.length + " values for item shape "
                        + Arrays.toString(itemShape));
            }
        }
        List<Map<String, float[]>> out = new ArrayList<>(n);
        if (n == 1 || !batchable()) {
            for (float[] x : inputs) {
                out.add(run(x, withBatch(1, itemShape)));
            }
            return out;
        }
        for (int from = 0; from < n; from += MAX_BATCH) {
            int k = Math.min(MAX_BATCH, n - from);
            float[] all = new float[(int) (k * per)];
            for (int i = 0; i < k; i++) {
                System.arraycopy(inputs.get(from + i), 0, all, (int) (i * per), (int) per);
            }
            Map<String, float[]> r = run(all, withBatch(k, itemShape));
            List<Map<String, float[]>> items = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                items.add(new LinkedHashMap<>());
            }
            for (Map.Entry<String, float[]> e : r.entrySet()) {
                float[] v = e.getValue();
                if (v.length % k != 0) {
                    throw new IllegalStateException("model " + label + ": output " + e.getKey() + " has " + v.length
                            + " values, not a multiple of the batch " + k);
                }
                int len = v.length / k;
                for (int i = 0; i < k; i++) {
                    items.get(i).put(e.getKey(), Arrays.copyOfRange(v, i * len, (i + 1) * len));
                }
            }
            out.addAll(items);
        }
        return out;
    }

    /** {@link #runBatch} returning the first output of each input. */
    public List<float[]> runBatchFirst(List<float[]> inputs, long... itemShape) {
        List<float[]> out = new ArrayList<>(inputs.size());
        for (Map<String, float[]> m : runBatch(inputs, itemShape)) {
            out.add(m.values().iterator().next());
        }
        return out;
    }

    private static long[] withBatch(long n, long[] itemShape) {
        long[] s = new long[itemShape.length + 1];
        s[0] = n;
        System.arraycopy(itemShape, 0, s, 1, itemShape.length);
        return s;
    }

    /**
     * Whether the model file declares a symbolic batch dimension: one input, and dimension 0 of
     * the input and of every output symbolic. Read once from the file's metadata through ONNX
     * Runtime (a second, unoptimised session that is closed at once), then cached.
     */
    public boolean batchable() {
        return signature().batchable();
    }

    /** The first input's declared shape as the model file states it; -1 for a symbolic dimension. */
    public long[] declaredInputShape() {
        return signature().inputs().get(0).clone();
    }

    private Signature signature() {
        Signature s = signature;
        if (s == null) {
            synchronized (this) {
                s = signature;
                if (s == null) {
                    s = readSignature();
                    signature = s;
                }
            }
        }
        return s;
    }

    private Signature readSignature() {
        engine(); // DJL's engine owns the ORT environment: it must exist before getEnvironment()
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            o.setIntraOpNumThreads(1);
            o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = sourceBytes != null ? env.createSession(sourceBytes, o)
                    : env.createSession(sourcePath.toString(), o)) {
                return new Signature(shapes(session.getInputInfo()), shapes(session.getOutputInfo()));
            }
        } catch (OrtException | RuntimeException e) {
            throw new IllegalStateException("cannot read the input / output shapes of model " + label + ": "
                    + e.getMessage(), e);
        }
    }

    private static List<long[]> shapes(Map<String, NodeInfo> info) {
        List<long[]> out = new ArrayList<>();
        for (NodeInfo n : info.values()) {
            out.add(n.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0]);
        }
        return out;
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
