package io.openbio.inference.bench;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.model.ModelRepository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Per-call latency of each stage on man_b.jpg (584x824, one face), single thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PipelineBenchmark {
    FaceAnalyzer fa;
    byte[] jpeg;
    DecodedImage image;
    Face face;
    Template a;
    Template b;

    @Setup(Level.Trial)
    public void setUp() {
        fa = FaceAnalyzer.create(ModelRepository.fromEnvironment(), new Properties(), FaceAnalyzer.MIN_INTER_EYE_PX);
        jpeg = TestPhotos.bytes("man_b.jpg");
        image = fa.decode(jpeg);
        face = fa.detect(image);
        a = fa.embed(image, face);
        b = fa.embed(TestPhotos.bytes("man_a.jpg"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fa.close();
    }

    @Benchmark
    public DecodedImage decodeJpeg() {
        return fa.decode(jpeg);
    }

    @Benchmark
    public Face detectWithLandmarks() {
        return fa.detect(image);
    }

    @Benchmark
    public Template alignAndEmbed() {
        return fa.embed(image, face);
    }

    @Benchmark
    public Object compareTemplates() {
        return fa.compare(a, b);
    }

    @Benchmark
    public Object liveness() {
        return fa.liveness(image, face);
    }

    @Benchmark
    public Object attributes() {
        return fa.attributes(image, face);
    }

    @Benchmark
    public Object quality() {
        return fa.quality(image, face);
    }

    /** The document path: BlazeFace back on the whole image (no tiles at this size) + landmarks. */
    @Benchmark
    public Object detectSmallFaces() {
        return fa.detectSmallFaces(image);
    }

    @Benchmark
    public Object analyzeEndToEnd() {
        return fa.analyze(jpeg);
    }
}
