package io.openbio.launcher.bench;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.embed.Template;
import io.openbio.processors.lcp.LcpDecision;
import io.openbio.processors.lcp.LcpSettings;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Liveness Check Proxy (seed 001) {@code POST /liveness/verify}, image style with a plain JPEG, through
 * the pipeline (gateway -> lcp-verify -> gateway) against the same work in-process on one thread: the
 * base64 image decoded, {@code LcpDecision.analyse} (decode, detect, passive liveness, embedding, 1:1
 * comparison with the reference template) and {@code decide}, and the probe and reference images sealed
 * for the audit event, as the stage does. The reference is set first with
 * {@code PUT /admin/users/{userId}/reference} (the stage computes its template once). Probe and reference:
 * the same real photo ({@code .photos/man_a.jpg}), so the answers are decided on the same figures every
 * time. {@code bench/lcp-verify.sh} starts the platform.
 *
 * <p>Arguments: gatewayUrl [rate=5] [seconds=60] [concurrency=4] [output]
 */
public final class LcpVerifyBenchmark {
    private static final String USER = "bench-user";

    private LcpVerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path output = Path.of(args.length > 4 ? args[4] : "launcher/target/lcp-verify-benchmark.md");
        int closedSeconds = Math.max(10, seconds / 2);

        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        String body = verifyBody(USER, photo);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        setReference(http, gateway, USER, photo);
        HttpRequest request = verifyRequest(gateway, body);
        HttpResponse<String> first = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200) {
            throw new IllegalStateException("verify answered " + first.statusCode() + ": " + first.body());
        }

        Latencies inProcess = new Latencies();
        String inProcessResult;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
            Template reference = analyzer.embed(photo);
            LcpSettings settings = LcpSettings.defaults();
            inProcessResult = inProcess(analyzer, body, reference, photo, settings);
            for (int i = 0; i < 30; i++) {
                inProcess(analyzer, body, reference, photo, settings);
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                long t = System.nanoTime();
                inProcess(analyzer, body, reference, photo, settings);
                inProcess.add(System.nanoTime() - t);
            }
        }

        LoadRunner load = new LoadRunner();
        load.closedLoop(2, 10, i -> request); // warm-up
        LoadRunner.Outcome open = load.openLoop(rate, seconds, i -> request);
        LoadRunner.Outcome closed = load.closedLoop(concurrency, closedSeconds, i -> request);

        double overhead = open.latencies().percentileMs(50) - inProcess.percentileMs(50);
        String report = String.join("\n",
                "### /liveness/verify (image style) through the pipeline vs in-process (" + LocalDate.now() + ")",
                "",
                "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                        + System.getProperty("java.version") + "; broker, registry, processors (one JVM), gateway and this load generator on the same machine.",
                "Command: `bench/lcp-verify.sh " + rate + " " + seconds + " " + concurrency + "` (a " + photo.length
                        + "-byte JPEG as base64 in the JSON body, the same user and reference every time; open loop " + rate + " req/s for "
                        + seconds + " s; closed loop " + concurrency + " callers for " + closedSeconds + " s).",
                "",
                "| path | requests | errors | p50 ms | p99 ms | throughput |",
                "|---|---|---|---|---|---|",
                String.format(Locale.ROOT, "| in-process (base64, decode, detect, liveness, embedding, comparison, decision, two images sealed; 1 thread) | %d | 0 | %.1f | %.1f | %.1f/s |",
                        inProcess.count(), inProcess.percentileMs(50), inProcess.percentileMs(99), 1000 / inProcess.percentileMs(50)),
                DiagnosticBenchmark.row("pipeline, open loop " + rate + " req/s", open),
                DiagnosticBenchmark.row("pipeline, closed loop, " + concurrency + " callers", closed),
                "",
                String.format(Locale.ROOT, "Pipeline overhead at p50, %d req/s: %.1f ms (%.0f%% of the in-process time).",
                        rate, overhead, 100 * overhead / inProcess.percentileMs(50)),
                "Answers: first pipeline answer `" + first.body().replaceAll("\"selfie\":\"[^\"]*\"", "\"selfie\":\"...\"")
                        + "`; in-process decision " + inProcessResult + "; statuses open loop " + open.statuses()
                        + ", closed loop " + closed.statuses() + ".",
                "");
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.exit(0);
    }

    /** {@code PUT /admin/users/{user}/reference} of {@code photo}, then waits until the stage has read its user store back. */
    public static void setReference(HttpClient http, String gateway, String user, byte[] photo) throws Exception {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(gateway + "/admin/users/" + user + "/reference"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200) {
            throw new IllegalStateException("PUT reference answered " + put.statusCode() + ": " + put.body());
        }
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(gateway + "/admin/users/" + user + "/reference"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (get.statusCode() == 200) {
                break;
            }
            Thread.sleep(200);
        }
    }

    /** The image-style {@code POST /liveness/verify} body: {@code photo} as base64 for {@code user}. */
    public static String verifyBody(String user, byte[] photo) {
        return "{\"userId\":\"" + user + "\",\"livenessRecord\":{\"image\":\"" + Base64.getEncoder().encodeToString(photo) + "\"}}";
    }

    public static HttpRequest verifyRequest(String gateway, String body) {
        return HttpRequest.newBuilder(URI.create(gateway + "/liveness/verify")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static String inProcess(FaceAnalyzer analyzer, String body, Template reference, byte[] referenceImage, LcpSettings settings) {
        int start = body.indexOf("\"image\":\"") + 9;
        byte[] probe = Base64.getDecoder().decode(body.substring(start, body.indexOf('"', start)).getBytes(StandardCharsets.US_ASCII));
        LcpDecision.Evidence evidence = LcpDecision.analyse(analyzer, probe, reference);
        LcpDecision.Decision decision = LcpDecision.decide(evidence, List.of(), settings);
        PayloadKeys.shared().seal("t", Purpose.IMAGE, "audit-id", probe);
        PayloadKeys.shared().seal("t", Purpose.IMAGE, "audit-id", referenceImage);
        return decision.result() + " (" + decision.reason() + ")";
    }
}
