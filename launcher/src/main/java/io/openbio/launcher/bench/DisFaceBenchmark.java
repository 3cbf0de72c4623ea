package io.openbio.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Face;
import io.openbio.inference.dis.DisScores;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * DIS faces (seed 004) through the pipeline (gateway -> dis-faces stage -> gateway) against the same work
 * in-process on one thread, in one run:
 *
 * <ol>
 * <li><b>POST /api/v1/faces</b> ({@code {"image":{"data":<man_a.jpg, Base64>}}}), open loop at a fixed rate and
 * closed loop. In-process: what the stage does per face (Base64 decode as the gateway does, image decode, detect,
 * the largest face's template, template and geometry sealed, image sealed, the stored record and the answer's
 * JSON written), without the store writes.</li>
 * <li><b>POST /api/v1/faces/{probe}/similarity</b> by template ({@code referenceFaceTemplate}: one hop) and by
 * link ({@code referenceFace}: two hops, the reference's template first). In-process: the reference template
 * decoded and checked, the probe's sealed template opened and decoded, the cosine, {@link DisScores}, the JSON.</li>
 * </ol>
 *
 * <p>Arguments: gatewayUrl [rate=5] [seconds=30] [concurrency=4] [output].
 */
public final class DisFaceBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "bench";

    private final String gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DisFaceBenchmark(String gateway) {
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path output = Path.of(args.length > 4 ? args[4] : "launcher/target/dis-faces-benchmark.md");
        new DisFaceBenchmark(gateway).run(rate, seconds, concurrency, output);
        System.exit(0);
    }

    /** The {@code POST /api/v1/faces} body: {@code {"image":{"data":<photo, Base64>}}}. */
    public static String createBody(byte[] photo) {
        return "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(photo) + "\"}}";
    }

    /** {@code POST /api/v1/faces} of {@code body} ({@link #createBody}), tenant {@link #TENANT}. */
    public static HttpRequest createRequest(String gateway, String body) {
        return HttpRequest.newBuilder(URI.create(gateway + "/api/v1/faces")).timeout(Duration.ofSeconds(60)).header("X-Tenant-Id", TENANT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(60)).header("X-Tenant-Id", TENANT);
    }

    private HttpRequest postJson(String path, String json) {
        return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private JsonNode call(HttpRequest request, String what) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private void run(int rate, int seconds, int concurrency, Path output) throws Exception {
        int closedSeconds = Math.max(10, seconds / 2);
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        // the same man twice: panels 1 and 2 of same_man_x3.jpg (probe and reference of the similarity calls)
        byte[] samePanel0 = panel(Path.of(".photos", "same_man_x3.jpg"), 0, 3);
        byte[] photoB = panel(Path.of(".photos", "same_man_x3.jpg"), 1, 3);
        String createBody = createBody(photo);
        String loadAverage = BioServerBenchmark.loadAverage();
        LoadRunner load = new LoadRunner();

        // ---------------------------------------------------------------- in-process
        Latencies createInProcess = new Latencies();
        Latencies similarityInProcess = new Latencies();
        String sealedProbe;
        String referenceTemplate;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
            DisScores scores = DisScores.load();
            for (int i = 0; i < 20; i++) {
                createInProcess(analyzer, createBody);
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                long t = System.nanoTime();
                createInProcess(analyzer, createBody);
                createInProcess.add(System.nanoTime() - t);
            }
            log("in-process POST /faces: p50 %.1f ms over %d", createInProcess.percentileMs(50), createInProcess.count());
            String key = "face:" + UUID.randomUUID();
            DecodedImage decoded = analyzer.decode(samePanel0);
            sealedProbe = PayloadKeys.shared().sealText(TENANT, Purpose.TEMPLATE, key, analyzer.embed(decoded, analyzer.detectAll(decoded).get(0)).encode());
            DecodedImage other = analyzer.decode(photoB);
            referenceTemplate = analyzer.embed(other, analyzer.detectAll(other).get(0)).encode();
            for (int i = 0; i < 2000; i++) {
                similarityInProcess(analyzer, scores, key, sealedProbe, referenceTemplate);
            }
            start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                long t = System.nanoTime();
                similarityInProcess(analyzer, scores, key, sealedProbe, referenceTemplate);
                similarityInProcess.add(System.nanoTime() - t);
            }
            log("in-process similarity: p50 %.3f ms over %d", similarityInProcess.percentileMs(50), similarityInProcess.count());
        }

        // ---------------------------------------------------------------- pipeline
        IntFunction<HttpRequest> create = i -> createRequest(gateway, createBody);
        call(create.apply(0), "POST /faces");
        load.closedLoop(2, 10, create); // warm-up
        LoadRunner.Outcome createOpen = load.openLoop(rate, seconds, create);
        log("POST /faces open loop: %s", createOpen.statuses());
        LoadRunner.Outcome createClosed = load.closedLoop(concurrency, closedSeconds, create);
        log("POST /faces closed loop: %s", createClosed.statuses());

        String probe = call(postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(samePanel0) + "\"}}"),
                "POST /faces (probe)").get("id").asText();
        String reference = call(postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(photoB) + "\"}}"),
                "POST /faces (reference)").get("id").asText();
        String template = call(request("/api/v1/faces/" + reference + "/face-template").GET().build(), "face-template").get("data").asText();
        String byTemplateBody = "{\"referenceFaceTemplate\":\"" + template + "\"}";
        String byLinkBody = "{\"referenceFace\":\"/api/v1/faces/" + reference + "\"}";
        IntFunction<HttpRequest> byTemplate = i -> postJson("/api/v1/faces/" + probe + "/similarity", byTemplateBody);
        IntFunction<HttpRequest> byLink = i -> postJson("/api/v1/faces/" + probe + "/similarity", byLinkBody);
        double score = call(byTemplate.apply(0), "similarity").get("score").asDouble();
        load.closedLoop(2, 5, byTemplate); // warm-up
        LoadRunner.Outcome templateOpen = load.openLoop(rate * 4, seconds, byTemplate);
        LoadRunner.Outcome templateClosed = load.closedLoop(concurrency, closedSeconds, byTemplate);
        LoadRunner.Outcome linkOpen = load.openLoop(rate * 4, seconds, byLink);
        LoadRunner.Outcome linkClosed = load.closedLoop(concurrency, closedSeconds, byLink);
        log("similarity: template %s / %s, link %s / %s", templateOpen.statuses(), templateClosed.statuses(), linkOpen.statuses(),
                linkClosed.statuses());

        // ---------------------------------------------------------------- report
        List<String> r = new ArrayList<>();
        r.add("### DIS faces (seed 004): POST /faces and similarity through the pipeline vs in-process (" + LocalDate.now() + ")");
        r.add("");
        r.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                + System.getProperty("java.version") + "; broker, registry, processors (one JVM), gateway and this load generator on the same "
                + "machine; load average at the start " + loadAverage + ", at the end " + BioServerBenchmark.loadAverage() + ".");
        r.add("Command: `bench/dis-faces.sh " + rate + " " + seconds + " " + concurrency + "` (POST /faces: man_a.jpg, " + photo.length
                + " bytes, as JSON Image data; open loop " + rate + " req/s for " + seconds + " s, closed loop " + concurrency + " callers for "
                + closedSeconds + " s; similarity: open loop " + (rate * 4) + " req/s, closed loop " + concurrency + " callers; probe and reference the same man,"
                + " panels 1 and 2 of same_man_x3.jpg, score " + String.format(Locale.ROOT, "%.4f", score) + ").");
        r.add("");
        r.add("| path | requests | errors | p50 ms | p99 ms | throughput |");
        r.add("|---|---|---|---|---|---|");
        r.add(inProcessRow("POST /faces in-process (Base64 decode, image decode, detect, template, template + geometry + image sealed,"
                + " record and answer JSON; 1 thread)", createInProcess));
        r.add(DiagnosticBenchmark.row("POST /faces, pipeline, open loop " + rate + " req/s", createOpen));
        r.add(DiagnosticBenchmark.row("POST /faces, pipeline, closed loop, " + concurrency + " callers", createClosed));
        r.add(inProcessRow("similarity in-process (reference template decoded and checked, probe template opened and decoded, cosine,"
                + " DisScores, JSON; 1 thread)", similarityInProcess));
        r.add(DiagnosticBenchmark.row("similarity by template, pipeline (1 hop), open loop " + (rate * 4) + " req/s", templateOpen));
        r.add(DiagnosticBenchmark.row("similarity by template, pipeline, closed loop, " + concurrency + " callers", templateClosed));
        r.add(DiagnosticBenchmark.row("similarity by link, pipeline (2 hops: the reference's template, then the score), open loop "
                + (rate * 4) + " req/s", linkOpen));
        r.add(DiagnosticBenchmark.row("similarity by link, pipeline, closed loop, " + concurrency + " callers", linkClosed));
        r.add("");
        r.add(String.format(Locale.ROOT, "Pipeline overhead at p50 (open loop minus in-process): POST /faces %.1f ms, similarity by template"
                        + " %.1f ms, by link %.1f ms.", createOpen.latencies().percentileMs(50) - createInProcess.percentileMs(50),
                templateOpen.latencies().percentileMs(50) - similarityInProcess.percentileMs(50),
                linkOpen.latencies().percentileMs(50) - similarityInProcess.percentileMs(50)));
        r.add("Statuses: POST /faces open " + createOpen.statuses() + ", closed " + createClosed.statuses() + "; similarity by template open "
                + templateOpen.statuses() + ", closed " + templateClosed.statuses() + "; by link open " + linkOpen.statuses() + ", closed "
                + linkClosed.statuses() + ".");
        String report = String.join("\n", r);
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report + "\n");
    }

    /** Panel {@code index} of {@code count} equal side-by-side panels of a photo, as JPEG. */
    static byte[] panel(Path photo, int index, int count) throws java.io.IOException {
        java.awt.image.BufferedImage all = javax.imageio.ImageIO.read(photo.toFile());
        int width = all.getWidth() / count;
        java.awt.image.BufferedImage panel = new java.awt.image.BufferedImage(width, all.getHeight(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        panel.getGraphics().drawImage(all.getSubimage(index * width, 0, width, all.getHeight()), 0, 0, null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(panel, "jpg", out);
        return out.toByteArray();
    }

    /** What the gateway and the stage do for one POST /faces (not the store writes). */
    static String createInProcess(FaceAnalyzer analyzer, String body) throws Exception {
        JsonNode json = JSON.readTree(body);
        byte[] image = Base64.getMimeDecoder().decode(json.at("/image/data").asText());
        DecodedImage decoded = analyzer.decode(image);
        List<Face> faces = analyzer.detectAll(decoded);
        Face face = faces.get(0);
        Template template = analyzer.embed(decoded, face);
        String id = UUID.randomUUID().toString();
        String key = "face:" + id;
        ObjectNode geometry = JSON.createObjectNode();
        geometry.putArray("box").add(face.box().x()).add(face.box().y()).add(face.box().width()).add(face.box().height());
        geometry.put("score", face.score());
        var landmarks = geometry.putArray("landmarks");
        for (float v : face.landmarks()) {
            landmarks.add(v);
        }
        ObjectNode record = JSON.createObjectNode();
        record.put("tenant", TENANT);
        record.put("geometry", PayloadKeys.shared().sealText(TENANT, Purpose.TEMPLATE, key, geometry.toString()));
        record.put("template", PayloadKeys.shared().sealText(TENANT, Purpose.TEMPLATE, key, template.encode()));
        PayloadKeys.shared().seal(TENANT, Purpose.IMAGE, key, image);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", id);
        answer.putObject("detection").put("confidence", face.score());
        answer.putObject("links").put("self", "/api/v1/faces/" + id);
        return record.toString() + answer.toString();
    }

    static String similarityInProcess(FaceAnalyzer analyzer, DisScores scores, String key, String sealedProbe, String reference) {
        Template ref = Template.decode(reference, analyzer.templateModelId(), analyzer.templateModelVersion());
        Template probe = analyzer.decodeTemplate(PayloadKeys.shared().openText(TENANT, Purpose.TEMPLATE, key, sealedProbe));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("score", scores.score(probe.similarity(ref)));
        return answer.toString();
    }

    private static String inProcessRow(String name, Latencies l) {
        return String.format(Locale.ROOT, "| %s | %d | 0 | %.2f | %.2f | %.1f/s |", name, l.count(), l.percentileMs(50), l.percentileMs(99),
                1000 / l.percentileMs(50));
    }

    static void log(String format, Object... args) {
        System.err.println("[dis-faces-bench] " + String.format(Locale.ROOT, format, args));
    }
}
