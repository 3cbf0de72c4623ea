package io.openbio.inference.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session for one verified model file. Sessions are thread-safe for {@link #run}.
 *
 * <p>The library is the single owner of the process-wide {@link OrtEnvironment} (see platform notes:
 * creating it before DJL's OnnxRuntime engine breaks DJL). The processors must not create another.
 */
public final class OnnxModel implements AutoCloseable {
    private static volatile OrtEnvironment env;

    private final ModelSpec spec;
    private final OrtSession session;
    private final String inputName;
    private final List<String> outputNames;

    private OnnxModel(ModelSpec spec, OrtSession session) throws OrtException {
        this.spec = spec;
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
        this.outputNames = new ArrayList<>(session.getOutputNames());
    }

    public static OrtEnvironment environment() {
        OrtEnvironment e = env;
        if (e == null) {
            synchronized (OnnxModel.class) {
                e = env;
                if (e == null) {
                    try {
                        // ONNX Runtime unpacks its natives under java.io.tmpdir: make sure it exists.
                        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
                    } catch (Exception ignored) {
                        // the native loader reports the real problem
                    }
                    e = OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                    env = e;
                }
            }
        }
        return e;
    }

    /** Loads a model after checking its SHA-256 against the manifest. */
    public static OnnxModel load(ModelRepository repo, String id) {
        ModelSpec spec = repo.manifest().spec(id);
        Path path = repo.verifiedPath(id);
        try {
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return new OnnxModel(spec, environment().createSession(path.toString(), opts));
        } catch (OrtException e) {
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, "ONNX Runtime cannot load model '" + id
                    + "' from " + path + ": " + e.getMessage(), e);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /** Runs the model on one float tensor; returns every output flattened, by output name. */
    public Map<String, float[]> run(float[] input, long... shape) {
        OrtEnvironment e = environment();
        try (OnnxTensor t = OnnxTensor.createTensor(e, FloatBuffer.wrap(input), shape);
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> en : r) {
                OnnxTensor ot = (OnnxTensor) en.getValue();
                FloatBuffer fb = ot.getFloatBuffer();
                float[] arr = new float[fb.remaining()];
                fb.get(arr);
                out.put(en.getKey(), arr);
            }
            return out;
        } catch (OrtException ex) {
            throw new IllegalStateException("inference failed in model " + spec.id() + ": " + ex.getMessage(), ex);
        }
    }

    /** Input / output names and shapes, for documentation and checks. */
    public String describe() {
        StringBuilder sb = new StringBuilder(spec.id()).append(':');
        try {
            for (Map.Entry<String, NodeInfo> en : session.getInputInfo().entrySet()) {
                sb.append(" in ").append(en.getKey()).append(shape(en.getValue()));
            }
            for (Map.Entry<String, NodeInfo> en : session.getOutputInfo().entrySet()) {
                sb.append(" out ").append(en.getKey()).append(shape(en.getValue()));
            }
        } catch (OrtException ex) {
            sb.append(" (").append(ex.getMessage()).append(')');
        }
        return sb.toString();
    }

    private static String shape(NodeInfo n) {
        return n.getInfo() instanceof TensorInfo ti ? java.util.Arrays.toString(ti.getShape()) : "?";
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing a session cannot be retried
        }
    }
}
