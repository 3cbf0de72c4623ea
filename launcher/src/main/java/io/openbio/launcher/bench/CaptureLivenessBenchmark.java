package io.openbio.launcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.RequestEnvelope;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.capture.CaptureSignals;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code /check_capture_liveness} through the pipeline (gateway -> decrypt -> nonce -> liveness
 * -> gateway) against the same work in-process (bundle decryption, decode, face
 * detection, passive liveness, injection signals), in one run. Every request carries its own
 * bundle with its own fresh nonce, built before the measurement. The platform must be running
 * ({@code bench/capture-liveness.sh} starts it).
 *
 * <p>Arguments: gatewayUrl [rate=5] [seconds=60] [concurrency=4] [output]
 */
public final class CaptureLivenessBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaptureLivenessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path output = Path.of(args.length > 4 ? args[4] : "target/capture-benchmark.md");
        int closedSeconds = Math.max(15, seconds / 2);

        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        CaptureClient capture = new CaptureClient(gateway);

        // Bundles for warm-up, the open loop and the closed loop (closed loop: generous upper bound).
        int needed = 40 + rate * seconds + concurrency * closedSeconds * 40;
        List<byte[]> bundles = new ArrayList<>(needed);
        for (int i = 0; i < needed; i++) {
            bundles.add(capture.freshBundle(photo));
        }
        URI check = URI.create(gateway + "/check_capture_liveness");
        var next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.IntFunction<HttpRequest> request = i -> HttpRequest.newBuilder(check).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bundles.get(next.getAndIncrement() % bundles.size()))).build();

        // In-process: the same work on one thread, with a key of its own.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair local = generator.generateKeyPair();
        byte[] localBundle = bundle(photo, "n", local.getPublic(), "local");
        Latencies inProcess = new Latencies();
        try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
            for (int i = 0; i < 30; i++) {
                inProcess(analyzer, localBundle, local);
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                long t = System.nanoTime();
                inProcess(analyzer, localBundle, local);
                inProcess.add(System.nanoTime() - t);
            }
        }

        LoadRunner load = new LoadRunner();
        load.closedLoop(2, 10, request); // warm-up
        String metrics = "http://127.0.0.1:" + io.openbio.schemas.kafka.KafkaSettings.setting(io.openbio.schemas.settings.Settings.PROCESSOR_HTTP_PORT) + "/metrics";
        java.util.Map<String, Double> m0 = StageMetrics.scrape(metrics);
        LoadRunner.Outcome open = load.openLoop(rate, seconds, request);
        java.util.Map<String, Double> m1 = StageMetrics.scrape(metrics);
        LoadRunner.Outcome closed = load.closedLoop(concurrency, closedSeconds, request);
        java.util.Map<String, Double> m2 = StageMetrics.scrape(metrics);

        double overhead = open.latencies().percentileMs(50) - inProcess.percentileMs(50);
        String report = String.join("\n",
                "### /check_capture_liveness through the pipeline vs in-process (" + LocalDate.now() + ")",
                "",
                "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                        + System.getProperty("java.version") + "; broker, registry, processors (one JVM), gateway and this load generator on the same machine.",
                "Command: `bench/capture-liveness.sh " + rate + " " + seconds + " " + concurrency + "` (one " + photo.length
                        + "-byte 640x480-class JPEG per bundle, fresh nonce per request; open loop " + rate + " req/s for " + seconds
                        + " s; closed loop " + concurrency + " callers for " + closedSeconds + " s).",
                "",
                "| path | requests | errors | p50 ms | p99 ms | throughput |",
                "|---|---|---|---|---|---|",
                String.format(Locale.ROOT, "| in-process (decrypt, decode, detect, liveness, signals; 1 thread) | %d | 0 | %.1f | %.1f | %.1f/s |",
                        inProcess.count(), inProcess.percentileMs(50), inProcess.percentileMs(99), 1000 / inProcess.percentileMs(50)),
                DiagnosticBenchmark.row("pipeline, open loop " + rate + " req/s", open),
                DiagnosticBenchmark.row("pipeline, closed loop, " + concurrency + " callers", closed),
                "",
                String.format(Locale.ROOT, "Pipeline overhead at p50, %d req/s: %.1f ms (%.0f%% of the in-process time).",
                        rate, overhead, 100 * overhead / inProcess.percentileMs(50)),
                HopProfile.flag("capture", inProcess.percentileMs(50)),
                "",
                "Exactly-once commits of the route's stages during the open loop, then during the closed loop:",
                "",
                StageMetrics.table(io.openbio.schemas.contract.CaptureContract.ROUTE, m0, m1),
                StageMetrics.table(io.openbio.schemas.contract.CaptureContract.ROUTE, m1, m2));
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.exit(0);
    }

    public static byte[] bundle(byte[] photo, String nonce, PublicKey key, String kid) {
        long end = System.currentTimeMillis();
        CaptureMetadata meta = new CaptureMetadata(nonce, end - 1000, end, Map.of("os", "Linux", "client", "benchmark"),
                new CameraInfo("Integrated Camera", null, null, "user"), "openbio-bench", "1");
        return BundleWriter.write(new CaptureBundle(meta, List.of(new CaptureFrame(photo, "image/jpeg", end - 500, null, null))), key, kid);
    }

    static void inProcess(FaceAnalyzer analyzer, byte[] bundle, KeyPair key) throws Exception {
        CaptureBundle capture = BundleReader.read(bundle, kid -> Optional.of(key.getPrivate()));
        byte[] image = capture.frames().get(0).image();
        DecodedImage decoded = analyzer.decode(image);
        Face face = analyzer.detect(decoded);
        analyzer.liveness(decoded, face); // one decode: face and liveness share the liveness stage (issue 15)
        Instant now = Instant.now();
        CaptureSignals.evaluate(CaptureAnalysis.newBuilder()
                .setEnvelope(RequestEnvelope.newBuilder().setRequestId("r").setTenant("t").setOperation("o").setCreatedAt(now).build())
                .setReceivedAt(now).setKeyId("k").setNonce("n")
                .setCaptureStart(capture.metadata().captureStartMillis()).setCaptureEnd(capture.metadata().captureEndMillis())
                .setCameraLabel(capture.metadata().camera().label())
                .setFrames(List.of(new CapturedFrame(ByteBuffer.wrap(io.openbio.schemas.crypto.PayloadKeys.shared().seal("t", io.openbio.schemas.crypto.Purpose.IMAGE, "r", image)), "image/jpeg", capture.frames().get(0).timestampMillis(), null, null)))
                .build());
    }
}
