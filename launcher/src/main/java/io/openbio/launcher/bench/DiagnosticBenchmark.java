package io.openbio.launcher.bench;

import io.openbio.processors.diagnostic.DigestProcessor;
import io.openbio.processors.diagnostic.ImageInfoProcessor;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Measures the diagnostic endpoint through the pipeline (HTTP -> gateway -> Kafka -> digest ->
 * Kafka -> image-info -> Kafka -> gateway -> HTTP) against the same computation called in-process,
 * in one run. The platform must be running (see bench/diagnostic-roundtrip.sh, which starts it).
 *
 * <p>Phases: in-process baseline (the two stages' functions on the same payload); an open-loop run
 * at a fixed rate (latency measured from each request's scheduled send time, so a stall is not
 * hidden); a closed-loop run with N concurrent callers for throughput.
 *
 * <p>Arguments: gatewayUrl [rate=50] [seconds=60] [concurrency=16] [output=BENCHMARKS-diagnostic.md]
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
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

        // In-process baseline: the same two computations, same payload, one thread.
        Latencies inProcess = new Latencies();
        for (int i = 0; i < 2000; i++) {
            computeInProcess(payload);
        }
        long baselineStart = System.nanoTime();
        int baselineCalls = 0;
        while (System.nanoTime() - baselineStart < TimeUnit.SECONDS.toNanos(10)) {
            long t = System.nanoTime();
            computeInProcess(payload);
            inProcess.add(System.nanoTime() - t);
            baselineCalls++;
        }
        double baselineThroughput = baselineCalls / ((System.nanoTime() - baselineStart) / 1e9);

        // Warm-up through the pipeline (JIT, schema caches, connections).
        for (int i = 0; i < 200; i++) {
            call(http, uri, payload);
        }

        // Open loop at a fixed rate.
        Latencies open = new Latencies();
        AtomicInteger openErrors = new AtomicInteger();
        int total = rate * seconds;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * intervalNanos;
            CompletableFuture<Void> done = new CompletableFuture<>();
            inFlight.add(done);
            scheduler.schedule(() -> send(http, uri, payload).whenComplete((status, error) -> {
                if (error == null && status == 200) {
                    open.add(System.nanoTime() - scheduled);
                } else {
                    openErrors.incrementAndGet();
                }
                done.complete(null);
            }), scheduled - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(seconds + 120L, TimeUnit.SECONDS);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        scheduler.shutdown();

        // Closed loop for throughput.
        Latencies closed = new Latencies();
        AtomicInteger closedErrors = new AtomicInteger();
        long closedEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(10, seconds / 3));
        long closedStart = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < closedEnd) {
                    long t = System.nanoTime();
                    int status = call(http, uri, payload);
                    if (status == 200) {
                        closed.add(System.nanoTime() - t);
                    } else {
                        closedErrors.incrementAndGet();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double closedThroughput = closed.count() / ((System.nanoTime() - closedStart) / 1e9);

        String cpu = cpuModel();
        String report = String.join("\n",
                "### Diagnostic round trip through Kafka vs in-process (" + LocalDate.now() + ")",
                "",
                "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", Java " + System.getProperty("java.version")
                        + "; broker, registry, processors, gateway and this load generator all on the same machine.",
                "Command: `bench/diagnostic-roundtrip.sh` (payload: " + payload.length + "-byte JPEG; open loop " + rate + " req/s for "
                        + seconds + " s; closed loop " + concurrency + " callers).",
                "",
                "| path | requests | errors | p50 ms | p99 ms | throughput |",
                "|---|---|---|---|---|---|",
                String.format(Locale.ROOT, "| in-process (digest + image-info functions) | %d | 0 | %.3f | %.3f | %.0f/s (1 thread) |",
                        inProcess.count(), inProcess.percentileMs(50), inProcess.percentileMs(99), baselineThroughput),
                String.format(Locale.ROOT, "| pipeline, open loop %d req/s | %d | %d | %.2f | %.2f | %.1f/s |",
                        rate, open.count(), openErrors.get(), open.percentileMs(50), open.percentileMs(99), open.count() / openSeconds),
                String.format(Locale.ROOT, "| pipeline, closed loop, %d callers | %d | %d | %.2f | %.2f | %.1f/s |",
                        concurrency, closed.count(), closedErrors.get(), closed.percentileMs(50), closed.percentileMs(99), closedThroughput),
                "",
                String.format(Locale.ROOT, "Kafka round trip overhead at p50, %d req/s: %.2f ms (pipeline p50 minus in-process p50); target at most 15 ms.",
                        rate, open.percentileMs(50) - inProcess.percentileMs(50)),
                "");
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.exit(0);
    }

    static void computeInProcess(byte[] payload) {
        ByteBuffer data = ByteBuffer.wrap(payload);
        String sha = DigestProcessor.sha256Hex(data);
        ImageInfoProcessor.ImageInfo info = ImageInfoProcessor.inspect(data);
        if (sha.isEmpty() || info.width() == null) {
            throw new IllegalStateException("unexpected baseline result");
        }
    }

    private static CompletableFuture<Integer> send(HttpClient http, URI uri, byte[] payload) {
        return http.sendAsync(request(uri, payload), HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    private static int call(HttpClient http, URI uri, byte[] payload) {
        try {
            return http.send(request(uri, payload), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpRequest request(URI uri, byte[] payload) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
    }

    /** A selfie-sized JPEG (640x480). A real photo from the build's photo folder when present. */
    static byte[] payload() throws Exception {
        Path photo = Path.of(".photos");
        if (Files.isDirectory(photo)) {
            try (var files = Files.walk(photo)) {
                Path jpeg = files.filter(p -> p.getFileName().toString().equals("man_a.jpg")).findFirst().orElse(null);
                if (jpeg != null) {
                    return Files.readAllBytes(jpeg);
                }
            }
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

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }
}
