package io.openbio.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.inference.FaceAnalyzer;
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

/**
 * DIS (seed 004) {@code PUT /customers/{id}/document/pages} through the pipeline (gateway -> dis-customers stage
 * -> gateway) against the same work in-process on one thread, in one run.
 *
 * <ul>
 * <li><b>Pipeline</b>: one customer with a document (advice identity-card, UTO; no {@code sources}, so the stage
 * reads all: MRZ, barcodes, visual zone); {@code requests} page uploads one after the other (each replaces the
 * front page), after 3 warm-up uploads: {@link DisBenchCards}' TD1 card photo as JSON Image data with advice
 * {@code pageTypes:["front"]}; every answer must be a 200 with a detection. The report says which fields the
 * answers carry (the page answer, and GET customer's fields that only reading fills), so the figure says what the
 * measured commit did.</li>
 * <li><b>In-process</b>: the JSON parsed and the image's Base64 decoded (the gateway's part), then
 * {@link DisBenchPageUpload}: the stage's page analysis, reading and document checks with the same library calls,
 * each part timed, and their sum (the pipeline's counterpart).</li>
 * </ul>
 * Not in the in-process rows: HTTP, sealing and opening the image, Kafka, the store writes.
 *
 * <p>Arguments: gatewayUrl [requests=20] [output].
 */
public final class DisPageBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "bench";
    static final int WARM_UP = 3;

    private final String gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DisPageBenchmark(String gateway) {
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path output = Path.of(args.length > 2 ? args[2] : "launcher/target/dis-pages-benchmark.md");
        new DisPageBenchmark(gateway).run(requests, output);
        System.exit(0);
    }

    private void run(int requests, Path output) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        byte[] card = DisBenchCards.card(photo);
        String body = "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(card) + "\"},"
                + "\"advice\":{\"classification\":{\"pageTypes\":[\"front\"]}}}";
        String loadAverage = BioServerBenchmark.loadAverage();

        // ---------------------------------------------------------------- in-process
        Latencies analysis = new Latencies();
        Latencies mrz = new Latencies();
        Latencies ocr = new Latencies();
        Latencies barcodes = new Latencies();
        Latencies reading = new Latencies();
        Latencies tampering = new Latencies();
        Latencies upload = new Latencies();
        String found = null;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(); DisBenchPageUpload stage = new DisBenchPageUpload(analyzer)) {
            for (int i = 0; i < WARM_UP + requests; i++) {
                long s = System.nanoTime();
                byte[] image = Base64.getMimeDecoder().decode(JSON.readTree(body).at("/image/data").asText()); // the gateway's part
                long parse = System.nanoTime() - s;
                DisBenchPageUpload.Upload u = stage.upload(image);
                if (found == null) {
                    // what was read and measured, without the read text (document data is never logged)
                    found = u.found();
                    log("in-process page upload of the card: %s", found);
                }
                if (i >= WARM_UP) {
                    analysis.add(parse + u.analysis());
                    mrz.add(u.mrz());
                    ocr.add(u.ocr());
                    barcodes.add(u.barcodes());
                    reading.add(u.reading());
                    tampering.add(u.tampering());
                    upload.add(parse + u.total());
                }
            }
            log("in-process: page upload p50 %.1f ms over %d", upload.percentileMs(50), upload.count());
        }

        // ---------------------------------------------------------------- pipeline
        JsonNode created = call(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/customers")).header("X-Tenant-Id", TENANT)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), 200);
        String base = "/api/v1/customers/" + created.get("id").asText();
        call(put(base + "/document", "{\"advice\":{\"classification\":{\"types\":[\"identity-card\"],\"countries\":[\"UTO\"]}}}"), 200);
        Latencies pipeline = new Latencies();
        int errors = 0;
        JsonNode answer = null;
        for (int i = 0; i < WARM_UP + requests; i++) {
            long s = System.nanoTime();
            HttpResponse<String> r = http.send(put(base + "/document/pages", body), HttpResponse.BodyHandlers.ofString());
            long t = System.nanoTime() - s;
            JsonNode json = JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
            boolean ok = r.statusCode() == 200 && json.has("detection") && !json.has("errorCode");
            if (i < WARM_UP) {
                if (!ok) {
                    throw new IllegalStateException("warm-up page upload answered " + r.statusCode() + " " + json.path("errorCode").asText(""));
                }
                answer = json;
                continue;
            }
            if (ok) {
                pipeline.add(t);
            } else {
                errors++;
                log("page upload answered %d %s", r.statusCode(), json.path("errorCode").asText(""));
            }
        }
        JsonNode customer = call(HttpRequest.newBuilder(URI.create(gateway + base)).header("X-Tenant-Id", TENANT).GET().build(), 200);
        call(HttpRequest.newBuilder(URI.create(gateway + base)).header("X-Tenant-Id", TENANT).DELETE().build(), 204);
        String answered = answerFields(answer, customer);
        boolean readsInPipeline = !answered.endsWith("(no reading in the upload)");
        log("pipeline: p50 %.1f ms over %d, %d errors; %s", pipeline.percentileMs(50), pipeline.count(), errors, answered);

        // ---------------------------------------------------------------- report
        List<String> r = new ArrayList<>();
        r.add("### DIS PUT document/pages (seed 004) through the pipeline vs in-process (" + LocalDate.now() + ")");
        r.add("");
        r.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                + System.getProperty("java.version") + "; broker, registry, processors (one JVM), gateway and this load generator on the same "
                + "machine; load average (1 / 5 / 15 min) at the command's start " + System.getenv().getOrDefault("OPENBIO_BENCH_LOAD_AT_START", "not given")
                + ", at the measurement's start (platform up) " + loadAverage + ", at the end " + BioServerBenchmark.loadAverage() + ".");
        r.add("Command: `bench/dis-pages.sh " + requests + "` (" + requests + " uploads one after the other after " + WARM_UP
                + " warm-up uploads, both sides; the synthetic TD1 card photo, " + card.length + " bytes, 1400 x 1000, portrait man_a.jpg).");
        r.add("Pipeline answer at this commit: " + answered + ". In-process reading of the card: " + found + ".");
        r.add("");
        r.add("| path | requests | errors | p50 ms | p99 ms |");
        r.add("|---|---|---|---|---|");
        r.add(row("PUT document/pages, pipeline, one at a time", pipeline, errors));
        r.add(row("**in-process page upload: analysis + reading + document checks (the pipeline's counterpart)**", upload, 0));
        r.add(row("in-process, part: page analysis (JSON + Base64, decode, corners, normalisation, quality, portrait, page + portrait JPEG)", analysis, 0));
        r.add(row("in-process, part: reading MRZ (MrzReader)", mrz, 0));
        r.add(row("in-process, part: reading OCR of the page (TesseractOcr TEXT)", ocr, 0));
        r.add(row("in-process, part: reading barcodes (BarcodeReader, none on the card) + the reading's JSON", barcodes, 0));
        r.add(row("in-process, part: reading MRZ + OCR + barcodes", reading, 0));
        r.add(row("in-process, part: document checks (DocumentAnalyzer on the photo as uploaded, 3 checks)", tampering, 0));
        r.add("");
        r.add(String.format(Locale.ROOT, "Pipeline minus in-process page upload at p50: %.1f ms%s. p99 of fewer than 100 samples is their"
                        + " maximum (nearest rank).", pipeline.percentileMs(50) - upload.percentileMs(50), readsInPipeline ? ""
                        : " (but the pipeline's answers show no reading at this commit: compare with the analysis row)"));
        String report = String.join("\n", r);
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report + "\n");
    }

    /**
     * Which parts the pipeline's answers show: the page answer's fields, and whether GET customer carries data read
     * from the page (MRZ, visual zone, barcodes: the fields of the reference's Customer that only reading fills).
     */
    static String answerFields(JsonNode page, JsonNode customer) {
        List<String> fields = new ArrayList<>();
        page.fieldNames().forEachRemaining(fields::add);
        JsonNode c = customer.path("customer");
        List<String> read = new ArrayList<>();
        for (String f : List.of("givenNames", "surname", "fullName", "dateOfBirth", "personalNumber", "nationality", "citizenship")) {
            if (c.has(f)) {
                read.add(f);
            }
        }
        for (String f : List.of("mrz", "barcodes", "documentNumber", "dateOfExpiry", "dateOfIssue", "issuingAuthority", "additionalTexts")) {
            if (c.path("document").has(f)) {
                read.add("document." + f);
            }
        }
        return "page answer fields " + fields + "; GET customer fields read from the page: "
                + (read.isEmpty() ? "none (no reading in the upload)" : read.toString());
    }

    private HttpRequest put(String path, String json) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(60)).header("X-Tenant-Id", TENANT)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private JsonNode call(HttpRequest request, int status) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered " + r.statusCode());
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private static String row(String name, Latencies l, int errors) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f |", name, l.count(), errors, l.percentileMs(50), l.percentileMs(99));
    }

    static void log(String format, Object... args) {
        System.err.println("[dis-pages-bench] " + String.format(Locale.ROOT, format, args));
    }
}
