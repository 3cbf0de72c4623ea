package io.openbio.inference.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JMH benchmarks of this package and writes inference/BENCHMARKS.md. With the system
 * property {@code bench.include} (a JMH regex, e.g. {@code PipelineBenchmark.embedGroup}) it runs
 * only the matching benchmarks, quickly (1 fork, 2 x 1 s warm-up, 3 x 2 s measurement, average
 * time), prints them and leaves BENCHMARKS.md alone.
 */
public final class BenchmarkMain {
    static final String EARLIER = "## Earlier runs (kept as recorded, newest first)\n";
    public static void main(String[] args) throws Exception {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        List<String> jvm = new ArrayList<>();
        for (String k : new String[] {"openbio.models.dir", "openbio.photos.dir", "java.io.tmpdir"}) {
            if (System.getProperty(k) != null) {
                jvm.add("-D" + k + "=" + Path.of(System.getProperty(k)).toAbsolutePath());
            }
        }
        jvm.add("-Xmx2g");
        String[] jvmArgs = jvm.toArray(new String[0]);
        String include = System.getProperty("bench.include", "").trim();
        if (!include.isEmpty()) {
            quick(jvmArgs, include);
            return;
        }
        StringBuilder md = new StringBuilder("# inference: JMH benchmarks\n\n");
        md.append("Command: `mvn -B -pl inference -Pbench verify -DskipTests` (class `io.openbio.inference.bench.BenchmarkMain`; ")
          .append("JMH 1.37, 1 fork per benchmark, 2 x 2 s warm-up, 3 x 3 s measurement).\n\n");
        md.append("Quick run of some benchmarks only (printed, this file untouched): ")
          .append("`mvn -B -pl inference -Pbench verify -DskipTests '-Dbench.include=PipelineBenchmark\\.(embed|liveness)Group'` ")
          .append("(1 fork, 2 x 1 s warm-up, 3 x 2 s measurement). `embedGroup*` / `livenessGroup*`: the five faces of ")
          .append("group5.jpg through `embedAll` / `livenessAll` (batched where the model allows; see README.md, Batching) ")
          .append("vs one call per face.\n\n");
        md.append("Machine: ").append(cpu()).append(", `nproc` = ").append(Runtime.getRuntime().availableProcessors())
          .append(", Java ").append(System.getProperty("java.version")).append(", ")
          .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
          .append(". Run at ").append(OffsetDateTime.now().withNano(0)).append(", load average before the run: ")
          .append(loadAverage()).append(" (a shared build machine: other modules were being built at the same time, so ")
          .append("figures are noisy; the error column is JMH's 99.9% interval).\n\n");
        md.append("Runtime: DJL 0.35.1 OnnxRuntime engine over ONNX Runtime 1.29.0 CPU; OpenCV 4.9 for image work. ")
          .append("Input: man_b.jpg from Debian opencv-doc (584x824 JPEG, one face, inter-eye distance about 127 px).\n\n");

        md.append("## Verification chain (detect + landmarks + align + embed + 3 liveness models + compare)\n\n");
        md.append("Single thread, sample-time mode: the latency distribution of single calls.\n\n");
        md.append("| benchmark | intra-op threads | median ms | p90 ms | mean ms | samples |\n|---|---|---|---|---|---|\n");
        for (RunResult r : run(jvmArgs, VerificationBenchmark.class.getName(), Mode.SampleTime, 1, TimeUnit.MILLISECONDS)) {
            Statistics s = r.getPrimaryResult().getStatistics();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %d |%n", name(r),
                    r.getParams().getParam("intraOpThreads"), s.getPercentile(50), s.getPercentile(90), s.getMean(), s.getN()));
        }
        md.append("\nTwo threads sharing one analyzer, throughput mode (target: at least 60 verifications/s).\n\n");
        md.append("| benchmark | intra-op threads | verifications / s | error (99.9%) |\n|---|---|---|---|\n");
        for (RunResult r : run(jvmArgs, VerificationBenchmark.class.getName(), Mode.Throughput, 2, TimeUnit.SECONDS)) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f |%n", name(r), r.getParams().getParam("intraOpThreads"),
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
        }

        md.append("\n## Stages (single thread, average time per call, intra-op threads = 1, the default)\n\n");
        md.append("| benchmark | ms / call | error (99.9%) |\n|---|---|---|\n");
        for (RunResult r : run(jvmArgs, PipelineBenchmark.class.getName(), Mode.AverageTime, 1, TimeUnit.MILLISECONDS)) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", name(r),
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
        }

        md.append("\n## DJL overhead: the same model through DJL's OnnxRuntime engine and through ONNX Runtime directly\n\n");
        md.append("Same file, same session options, same random input, same process (the direct session uses the ORT ")
          .append("environment DJL's engine owns). Single thread, average time per call.\n\n");
        md.append("| model | DJL OnnxRuntime engine, us | error | ONNX Runtime direct, us | error |\n|---|---|---|---|---|\n");
        Collection<RunResult> ov = run(jvmArgs, RuntimeOverheadBenchmark.class.getName(), Mode.AverageTime, 1, TimeUnit.MICROSECONDS);
        for (String model : new String[] {"fr_landmark", "fr_feature"}) {
            RunResult d = null;
            RunResult o = null;
            for (RunResult r : ov) {
                if (model.equals(r.getParams().getParam("modelId"))) {
                    if (name(r).startsWith("djl")) {
                        d = r;
                    } else {
                        o = r;
                    }
                }
            }
            if (d != null && o != null) {
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", model,
                        d.getPrimaryResult().getScore(), d.getPrimaryResult().getScoreError(),
                        o.getPrimaryResult().getScore(), o.getPrimaryResult().getScoreError()));
            }
        }
        // keep the record of earlier runs (everything from the EARLIER marker of the previous file), newest first
        Path file = module.resolve("BENCHMARKS.md");
        String previous = Files.exists(file) ? Files.readString(file) : "";
        int cut = previous.indexOf(EARLIER);
        String lastRun = cut < 0 ? previous : previous.substring(0, cut);
        String history = cut < 0 ? "" : previous.substring(cut + EARLIER.length());
        md.append('\n').append(EARLIER);
        if (!lastRun.isBlank()) {
            java.util.regex.Matcher at = java.util.regex.Pattern.compile("Run at ([^,]+),").matcher(lastRun);
            md.append("\n### Run at ").append(at.find() ? at.group(1) : "an earlier time").append("\n\n").append(lastRun.replaceFirst("^# inference: JMH benchmarks\\s*", "")
                    .replace("\n## ", "\n#### ").trim()).append('\n');
        }
        md.append(history);
        Files.writeString(file, md.toString());
        System.out.println(md);
    }

    private static void quick(String[] jvm, String include) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(include)
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MILLISECONDS)
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(2))
                .threads(1)
                .jvmArgsAppend(jvm)
                .build()).run();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Quick run of `%s` (1 fork, 2 x 1 s warm-up, "
                + "3 x 2 s measurement, single thread), load average before: %s%n%n", include, loadAverage()));
        md.append("| benchmark | ms / call | error (99.9%) |\n|---|---|---|\n");
        for (RunResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", name(r),
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
        }
        System.out.println(md);
    }

    private static Collection<RunResult> run(String[] jvm, String include, Mode mode, int threads, TimeUnit unit)
            throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(include.replace(".", "\\.") + "\\.")
                .mode(mode)
                .timeUnit(unit)
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(3))
                .threads(threads)
                .jvmArgsAppend(jvm);
        return new Runner(b.build()).run();
    }

    private static String name(RunResult r) {
        String n = r.getParams().getBenchmark();
        return n.substring(n.lastIndexOf('.') + 1);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (Exception e) {
            return "unknown";
        }
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
