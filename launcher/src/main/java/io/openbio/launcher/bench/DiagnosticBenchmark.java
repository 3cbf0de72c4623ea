package io.openbio.launcher.bench;

import io.openbio.processors.diagnostic.DigestProcessor;
import io.openbio.processors.diagnostic.ImageInfoProcessor;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Measures the diagnostic endpoint through the pipeline (HTTP -> gateway -> Kafka -> digest ->
 * Kafka -> image-info -> Kafka -> gateway -> HTTP) against the same computation called in-process,
 * in one run. The platform must be running ({@code bench/diagnostic-roundtrip.sh} starts it).
 *
 * <p>Arguments: gatewayUrl [rate=50] [seconds=60] [concurrency=16] [output]
 */
public final class DiagnosticBenchmark {
    private DiagnosticBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        Path output = Path.of(args.length > 4 ? args[4] : "target/diagnostic-benchmark.md");

        byte[] payload = payload();
        URI uri = URI.create(gateway + "/diagnostic/digest");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();

        // In-process baseline: the same two computations, same payload, one thread.
        Latencies inProcess = new Latencies();
        for (int i = 0; i < 2000; i++) {
            computeInProcess(payload);
        }
        long baselineStart = System.nanoTime();
        while (System.nanoTime() - baselineStart < TimeUnit.SECONDS.toNanos(10)) {
            long t = System.nanoTime();
            computeInProcess(payload);
            inProcess.add(System.nanoTime() - t);
        }
        double baselineThroughput = inProcess.count() / ((System.nanoTime() - baselineStart) / 1e9);

        LoadRunner load = new LoadRunner();
        load.closedLoop(4, 10, i -> request); // warm-up: JIT, schema caches, connections
        String metrics = "http://127.0.0.1:" + io.openbio.schemas.kafka.KafkaSettings.setting(io.openbio.schemas.settings.Settings.PROCESSOR_HTTP_PORT) + "/metrics";
        java.util.Map<String, Double> m0 = StageMetrics.scrape(metrics);
        LoadRunner.Outcome open = load.openLoop(rate, seconds, i -> request);
        java.util.Map<String, Double> m1 = StageMetrics.scrape(metrics);
        LoadRunner.Outcome closed = load.closedLoop(concurrency, Math.max(10, seconds / 3), i -> request);
        java.util.Map<String, Double> m2 = StageMetrics.scrape(metrics);

        String report = String.join("\n",
                "### Diagnostic round trip through Kafka vs in-process (" + LocalDate.now() + ")",
                "",
                "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                        + System.getProperty("java.version") + "; broker, registry, processors, gateway and this load generator all on the same machine.",
                "Command: `bench/diagnostic-roundtrip.sh " + rate + " " + seconds + " " + concurrency + "` (payload: " + payload.length
                        + "-byte JPEG; open loop " + rate + " req/s for " + seconds + " s; closed loop " + concurrency + " callers).",
                "",
                "| path | requests | errors | p50 ms | p99 ms | throughput |",
                "|---|---|---|---|---|---|",
                String.format(Locale.ROOT, "| in-process (digest + image-info functions) | %d | 0 | %.3f | %.3f | %.0f/s (1 thread) |",
                        inProcess.count(), inProcess.percentileMs(50), inProcess.percentileMs(99), baselineThroughput),
                row("pipeline, open loop " + rate + " req/s", open),
                row("pipeline, closed loop, " + concurrency + " callers", closed),
                "",
                String.format(Locale.ROOT, "Kafka round trip overhead at p50, %d req/s: %.2f ms (pipeline p50 minus in-process p50); target at most 15 ms.",
                        rate, open.latencies().percentileMs(50) - inProcess.percentileMs(50)),
                HopProfile.flag("diagnostic", inProcess.percentileMs(50)),
                "",
                "Exactly-once commits of the route's stages during the open loop, then during the closed loop:",
                "",
                StageMetrics.table(io.openbio.schemas.contract.DiagnosticContract.ROUTE, m0, m1),
                StageMetrics.table(io.openbio.schemas.contract.DiagnosticContract.ROUTE, m1, m2));
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.exit(0);
    }

    static String row(String name, LoadRunner.Outcome o) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.1f/s |", name, o.latencies().count(), o.errors(),
                o.latencies().percentileMs(50), o.latencies().percentileMs(99), o.throughput());
    }

    static void computeInProcess(byte[] payload) {
        ByteBuffer data = ByteBuffer.wrap(payload);
        String sha = DigestProcessor.sha256Hex(data);
        ImageInfoProcessor.ImageInfo info = ImageInfoProcessor.inspect(data);
        if (sha.isEmpty() || info.width() == null) {
            throw new IllegalStateException("unexpected baseline result");
        }
    }

    /** A selfie-sized real photo from the build's photo folder when present, else a generated 640x480 JPEG. */
    static byte[] payload() throws Exception {
        Path photo = Path.of(".photos", "man_a.jpg");
        if (Files.isRegularFile(photo)) {
            return Files.readAllBytes(photo);
        }
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 640, 480, Color.BLUE));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }
}
