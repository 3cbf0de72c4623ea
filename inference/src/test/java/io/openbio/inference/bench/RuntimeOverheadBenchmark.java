package io.openbio.inference.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What DJL's OnnxRuntime engine costs per call compared with calling ONNX Runtime directly: the
 * same model file, the same session options (intra-op threads, ALL_OPT), the same input, the same
 * process (the direct session reuses the ORT environment DJL's engine owns).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RuntimeOverheadBenchmark {
    @Param({"fr_landmark", "fr_feature"})
    public String modelId;

    OnnxModel djl;
    OrtSession direct;
    float[] input;
    long[] shape;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ModelRepository repo = ModelRepository.fromEnvironment();
        djl = OnnxModel.load(repo, modelId); // creates DJL's engine, which owns the ORT environment
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(OnnxModel.intraOpThreads());
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        direct = OrtEnvironment.getEnvironment().createSession(repo.verifiedPath(modelId).toString(), o);
        shape = modelId.equals("fr_landmark") ? new long[] {1, 1, 64, 64} : new long[] {1, 3, 112, 112};
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        input = new float[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            input[i] = r.nextFloat() - 0.5f;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        djl.close();
        direct.close();
    }

    @Benchmark
    public Map<String, float[]> djlOnnxRuntime() {
        return djl.run(input, shape);
    }

    @Benchmark
    public float[] directOnnxRuntime() throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(input), shape);
             OrtSession.Result r = direct.run(Map.of(direct.getInputNames().iterator().next(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }
}
