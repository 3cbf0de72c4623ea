package io.openbio.inference.bench;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Properties;

/**
 * The verification chain (detect + landmarks, align + embed, three liveness models, compare) on
 * man_b.jpg (584x824), with one shared analyzer. BenchmarkMain runs it single-threaded in
 * sample-time mode (median latency) and with 2 threads in throughput mode (verifications/s);
 * {@code intraOpThreads} is the ONNX Runtime intra-op thread count of every model session.
 */
@State(Scope.Benchmark)
public class VerificationBenchmark {
    @Param({"1", "2"})
    public int intraOpThreads;

    FaceAnalyzer fa;
    DecodedImage image;
    byte[] jpeg;
    Template enrolled;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(OnnxModel.INTRA_OP_THREADS, String.valueOf(intraOpThreads));
        fa = FaceAnalyzer.create(ModelRepository.fromEnvironment(), new Properties(), FaceAnalyzer.MIN_INTER_EYE_PX);
        jpeg = TestPhotos.bytes("man_b.jpg");
        image = fa.decode(jpeg);
        enrolled = fa.embed(TestPhotos.bytes("man_a.jpg"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fa.close();
    }

    /** detect + align + embed + liveness + compare, image already decoded. */
    @Benchmark
    public Object verify() {
        return VerificationChain.verify(fa, image, enrolled);
    }

    /** The same chain including JPEG decoding (EXIF, ImageIO). */
    @Benchmark
    public Object verifyIncludingDecode() {
        return VerificationChain.verify(fa, fa.decode(jpeg), enrolled);
    }
}
