package io.openbio.inference.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Runs {@link PipelineBenchmark} with JMH and writes inference/BENCHMARKS.md. */
public final class BenchmarkMain {
    public static void main(String[] args) throws Exception {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        List<String> jvm = new ArrayList<>();
        for (String k : new String[] {"openbio.models.dir", "openbio.photos.dir", "java.io.tmpdir"}) {
            if (System.getProperty(k) != null) {
                jvm.add("-D" + k + "=" + Path.of(System.getProperty(k)).toAbsolutePath());
            }
        }
        jvm.add("-Xmx2g");
        Options opt = new OptionsBuilder()
                .include(PipelineBenchmark.class.getName())
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(2))
                .threads(1)
                .jvmArgsAppend(jvm.toArray(new String[0]))
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        StringBuilder md = new StringBuilder("# inference: JMH benchmarks\n\n");
        md.append("Command: `mvn -B -pl inference -Pbench verify` (JMH 1.37, 1 fork, 2 x 2 s warm-up, 3 x 2 s measurement, 1 thread, average time per call).\n\n");
        md.append("Machine: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
          .append(" cores visible, Java ").append(System.getProperty("java.version")).append(", ")
          .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
          .append(". Run at ").append(OffsetDateTime.now().withNano(0)).append(". ONNX Runtime 1.29.0 CPU, intra-op threads = min(4, cores).\n\n");
        md.append("Input: man_b.jpg from Debian opencv-doc (584x824 JPEG, one face, inter-eye distance about 127 px).\n\n");
        md.append("| benchmark | ms / call | error (99.9%) |\n|---|---|---|\n");
        for (RunResult r : results) {
            var s = r.getPrimaryResult();
            String name = r.getParams().getBenchmark();
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", name.substring(name.lastIndexOf('.') + 1),
                    s.getScore(), s.getScoreError()));
        }
        Files.writeString(module.resolve("BENCHMARKS.md"), md.toString());
        System.out.println(md);
    }

    private static String cpu() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "unknown CPU";
    }
}
