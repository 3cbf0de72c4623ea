package io.openbio.launcher.bench;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Face;
import io.openbio.inference.document.DocumentAnalysis;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.unavailable.Check;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * IDLive {@code POST /check} with FACE_CHECK + FACE_MATCH_VALIDATION through the pipeline (gateway
 * -> ekyc-prepare (selfie) -> ekyc-face-check, and beside it ekyc-prepare-doc (document); both
 * -> ekyc-match (join) ; sections -> ekyc-assembler -> gateway) against the same
 * work in-process on one thread (decode the selfie, detect its face, locate the document and its
 * portrait, two embeddings, passive liveness, the deepfake check's availability, the comparison).
 * Plain images ({@code encrypted=false}); selfie: a real photo; document: a synthetic ID card
 * holding the same photo as its portrait. {@code bench/ekyc-check.sh} starts the platform.
 *
 * <p>Arguments: gatewayUrl [rate=3] [seconds=60] [concurrency=4] [output]
 */
public final class EkycCheckBenchmark {
    private EkycCheckBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path output = Path.of(args.length > 4 ? args[4] : "target/ekyc-benchmark.md");

        byte[] selfie = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        byte[] card = idCard(selfie);
        String model = "{\"operations\":[\"FACE_CHECK\",\"FACE_MATCH_VALIDATION\"],"
                + "\"face_check_parameters\":{\"pipelines\":[{\"type\":\"PRESENTATION_ATTACK\"},{\"type\":\"DEEPFAKE_ATTACK\"}]}}";
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = multipart(model, selfie, card, boundary);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/check?encrypted=false"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        Latencies inProcess = new Latencies();
        Latencies inProcessParallel = new Latencies();
        java.util.concurrent.ExecutorService second = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(); DocumentAnalyzer documents = DocumentAnalyzer.create(analyzer)) {
            for (int i = 0; i < 10; i++) {
                inProcess(analyzer, documents, selfie, card);
                inProcessParallel(analyzer, documents, selfie, card, second);
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                long t = System.nanoTime();
                inProcess(analyzer, documents, selfie, card);
                inProcess.add(System.nanoTime() - t);
            }
            start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                long t = System.nanoTime();
                inProcessParallel(analyzer, documents, selfie, card, second);
                inProcessParallel.add(System.nanoTime() - t);
            }
        }
        second.shutdown();

        LoadRunner load = new LoadRunner();
        // warm-up, not measured: 30 s one at a time, as long as each in-process row runs (JIT of the platform's JVMs)
        load.closedLoop(1, 30, i -> request);
        LoadRunner.Outcome open = load.openLoop(rate, seconds, i -> request);
        // One caller, one request at a time: the in-process rows' conditions (no other request competing for the cores).
        LoadRunner.Outcome sequential = load.closedLoop(1, Math.max(15, seconds / 2), i -> request);
        LoadRunner.Outcome closed = load.closedLoop(concurrency, Math.max(15, seconds / 2), i -> request);
        double sequentialOverhead = sequential.latencies().percentileMs(50) - inProcess.percentileMs(50);

        double overhead = open.latencies().percentileMs(50) - inProcess.percentileMs(50);
        String report = String.join("\n",
                "### IDLive /check (FACE_CHECK + FACE_MATCH_VALIDATION) through the pipeline vs in-process (" + LocalDate.now() + ")",
                "",
                "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                        + System.getProperty("java.version") + "; the whole platform and this load generator on the same machine.",
                "Command: `bench/ekyc-check.sh " + rate + " " + seconds + " " + concurrency + "` (selfie: a real " + selfie.length
                        + "-byte photo; document: a synthetic " + card.length + "-byte ID card with the same face as portrait; encrypted=false).",
                "",
                "| path | requests | errors | p50 ms | p99 ms | throughput |",
                "|---|---|---|---|---|---|",
                String.format(Locale.ROOT, "| in-process (same work, 1 thread) | %d | 0 | %.1f | %.1f | %.1f/s |",
                        inProcess.count(), inProcess.percentileMs(50), inProcess.percentileMs(99), 1000 / inProcess.percentileMs(50)),
                String.format(Locale.ROOT, "| in-process (same work, selfie and document on 2 threads) | %d | 0 | %.1f | %.1f | %.1f/s |",
                        inProcessParallel.count(), inProcessParallel.percentileMs(50), inProcessParallel.percentileMs(99),
                        1000 / inProcessParallel.percentileMs(50)),
                DiagnosticBenchmark.row("pipeline, open loop " + rate + " req/s", open),
                DiagnosticBenchmark.row("pipeline, closed loop, " + concurrency + " callers", closed),
                DiagnosticBenchmark.row("pipeline, closed loop, 1 caller (one request at a time)", sequential),
                "",
                String.format(Locale.ROOT, "Pipeline overhead at p50, %d req/s: %.1f ms = %.0f%% of the single-threaded in-process time "
                                + "(target: at most 20%%); against the two-thread in-process arrangement: %.1f ms = %.0f%%.",
                        rate, overhead, 100 * overhead / inProcess.percentileMs(50),
                        open.latencies().percentileMs(50) - inProcessParallel.percentileMs(50),
                        100 * (open.latencies().percentileMs(50) - inProcessParallel.percentileMs(50)) / inProcessParallel.percentileMs(50)),
                String.format(Locale.ROOT, "Pipeline overhead at p50, one request at a time (the in-process conditions): %.1f ms = %.0f%% "
                                + "of the single-threaded in-process time (target: at most 20%%).",
                        sequentialOverhead, 100 * sequentialOverhead / inProcess.percentileMs(50)),
                HopProfile.flag("ekyc", inProcess.percentileMs(50)),
                "");
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.exit(0);
    }

    /** The same work with the selfie (incl. liveness) and the document on two threads, the best in-process arrangement. */
    static void inProcessParallel(FaceAnalyzer analyzer, DocumentAnalyzer documents, byte[] selfie, byte[] card,
                                  java.util.concurrent.ExecutorService second) throws Exception {
        java.util.concurrent.Future<Template> document = second.submit(() -> {
            DocumentAnalysis doc = documents.analyze(card);
            return analyzer.embed(doc.image(), doc.portrait());
        });
        DecodedImage face = analyzer.decode(selfie);
        Face found = analyzer.detect(face);
        Template faceTemplate = analyzer.embed(face, found);
        analyzer.liveness(analyzer.decode(selfie), found);
        analyzer.check(Check.DEEPFAKE, selfie);
        analyzer.compare(faceTemplate, document.get());
    }

    static void inProcess(FaceAnalyzer analyzer, DocumentAnalyzer documents, byte[] selfie, byte[] card) {
        DecodedImage face = analyzer.decode(selfie);
        Face found = analyzer.detect(face);
        Template faceTemplate = analyzer.embed(face, found);
        DocumentAnalysis doc = documents.analyze(card);
        Template docTemplate = analyzer.embed(doc.image(), doc.portrait());
        analyzer.liveness(analyzer.decode(selfie), found); // the face-check stage decodes its own copy
        analyzer.check(Check.DEEPFAKE, selfie);
        analyzer.compare(faceTemplate, docTemplate);
    }

    public static byte[] multipart(String model, byte[] face, byte[] doc, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String b = "--" + boundary;
        out.writeBytes((b + "\r\nContent-Disposition: form-data; name=\"checkModel\"\r\nContent-Type: application/json\r\n\r\n"
                + model + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes((b + "\r\nContent-Disposition: form-data; name=\"face\"; filename=\"face\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(face);
        out.writeBytes(("\r\n" + b + "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"doc\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(doc);
        out.writeBytes(("\r\n" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A synthetic ID card: a light card on a dark desk, the photo as its portrait, text lines. */
    public static byte[] idCard(byte[] portraitPhoto) throws Exception {
        BufferedImage photo = ImageIO.read(new ByteArrayInputStream(portraitPhoto));
        BufferedImage scene = new BufferedImage(1280, 900, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scene.createGraphics();
        g.setColor(new Color(40, 44, 52));
        g.fillRect(0, 0, 1280, 900);
        g.setColor(new Color(235, 238, 230));
        g.fillRoundRect(140, 150, 1000, 630, 40, 40);
        g.drawImage(photo, 180, 230, 360, 480, null);
        g.setColor(new Color(30, 30, 60));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 40));
        g.drawString("IDENTITY CARD", 600, 260);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 30));
        g.drawString("Surname: SAMPLE", 600, 360);
        g.drawString("No. X1234567", 600, 540);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(scene, "jpeg", out);
        return out.toByteArray();
    }
}
