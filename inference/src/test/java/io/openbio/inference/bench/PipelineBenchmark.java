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

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Per-call latency of each stage on man_b.jpg (584x824, one face), single thread; and batched vs
 * looped embedding / liveness of the five faces of group5.jpg (faces detected once in set-up).
 */
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
    DecodedImage group;
    List<Face> groupFaces;

    @Setup(Level.Trial)
    public void setUp() {
        fa = FaceAnalyzer.create(ModelRepository.fromEnvironment(), new Properties(), FaceAnalyzer.MIN_INTER_EYE_PX);
        jpeg = TestPhotos.bytes("man_b.jpg");
        image = fa.decode(jpeg);
        face = fa.detect(image);
        a = fa.embed(image, face);
        b = fa.embed(TestPhotos.bytes("man_a.jpg"));
        group = fa.decode(TestPhotos.bytes("group5.jpg"));
        groupFaces = fa.detectAll(group);
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

    /** All faces of group5.jpg through {@code embedAll} (fr_feature has batch 1: one call per face inside). */
    @Benchmark
    public List<Template> embedGroupBatched() {
        return fa.embedAll(group, groupFaces);
    }

    /** The same faces, one {@code embed} call each. */
    @Benchmark
    public List<Template> embedGroupLooped() {
        List<Template> out = new ArrayList<>(groupFaces.size());
        for (Face f : groupFaces) {
            out.add(fa.embed(group, f));
        }
        return out;
    }

    /** All faces of group5.jpg through {@code livenessAll} (the two TF.js models batched). */
    @Benchmark
    public Object livenessGroupBatched() {
        return fa.livenessAll(group, groupFaces);
    }

    /** The same faces, one {@code liveness} call each. */
    @Benchmark
    public Object livenessGroupLooped() {
        List<Object> out = new ArrayList<>(groupFaces.size());
        for (Face f : groupFaces) {
            out.add(fa.liveness(group, f));
        }
        return out;
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
