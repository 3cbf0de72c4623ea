package io.openbio.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.challenge.FrameMeasurer;
import io.openbio.inference.detect.Face;
import io.openbio.inference.dis.DisLiveness;
import io.openbio.inference.dis.DisScores;
import io.openbio.inference.image.DecodedImage;
import io.openbio.processors.dis.customer.InspectedFace;
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
import java.util.function.Predicate;

/**
 * DIS (seed 004) passive onboarding, end to end as an integrator calls it (the reference samples'
 * CustomerOnboarding, api-notes 004 flow D1 without the back page and the page/portrait GETs), through the pipeline
 * against the same inference in-process, in one run:
 *
 * <ol>
 * <li>POST /customers</li>
 * <li>PUT selfie ({@code man_a.jpg} as JSON Image data)</li>
 * <li>PUT liveness (no body)</li>
 * <li>POST liveness/selfies (the same photo, assertion NONE)</li>
 * <li>POST liveness/evaluation PASSIVE_LIVENESS</li>
 * <li>PUT document (advice identity-card, UTO; no sources: the stage reads MRZ, barcodes and the visual zone)</li>
 * <li>PUT document/pages front ({@link DisBenchCards}: a synthetic TD1 card with the same photo as portrait)</li>
 * <li>GET customer (its document must link a portrait)</li>
 * <li>GET document/portrait</li>
 * <li>POST inspect (no body; must compare the selfie with the liveness selfies and the document portrait)</li>
 * <li>POST document/inspect (no body; must answer the front page's tampering and the portrait's age)</li>
 * <li>DELETE customer</li>
 * </ol>
 *
 * Pipeline: {@code flows} flows one after the other (after 2 warm-up flows), each call timed from send to
 * answer and checked (status, and the answer's key field). In-process, on one thread of this JVM, the same
 * number of flows of the work the dis-customers stage does per call with the same library calls: image decode,
 * detection, age and gender, the selfie crop (selfie); {@link DisLiveness#check} (liveness selfie);
 * {@link DisLiveness#passive} (evaluation); {@link DisBenchPageUpload} (page: analysis, reading, document checks);
 * the portrait's Base64 (portrait); the selfie, the liveness selfie and the document portrait each read again
 * (detection, template, age, gender) and two {@link DisScores} comparisons (inspect); the document portrait read
 * again (document inspect); the answers' JSON. Not in it: HTTP, the gateway's parsing and sealing, Kafka, the
 * stage's opening of the sealed parts and its store writes.
 *
 * <p>Arguments: gatewayUrl [flows=20] [output].
 */
public final class DisOnboardingBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "bench";
    static final List<String> CALLS = List.of("POST /customers", "PUT selfie", "PUT liveness", "POST liveness/selfies (NONE)",
            "POST liveness/evaluation (PASSIVE_LIVENESS)", "PUT document", "PUT document/pages (front)", "GET customer",
            "GET document/portrait", "POST inspect", "POST document/inspect", "DELETE customer");
    static final int WARM_UP = 2;

    private final String gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DisOnboardingBenchmark(String gateway) {
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int flows = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path output = Path.of(args.length > 2 ? args[2] : "launcher/target/dis-onboarding-benchmark.md");
        new DisOnboardingBenchmark(gateway).run(flows, output);
        System.exit(0);
    }

    /** Per-call latencies and the whole flow's. */
    record Timings(List<Latencies> calls, Latencies flow) {
        static Timings create() {
            List<Latencies> calls = new ArrayList<>();
            CALLS.forEach(c -> calls.add(new Latencies()));
            return new Timings(calls, new Latencies());
        }

        void add(long[] nanos) {
            long total = 0;
            for (int i = 0; i < nanos.length; i++) {
                calls.get(i).add(nanos[i]);
                total += nanos[i];
            }
            flow.add(total);
        }
    }

    private void run(int flows, Path output) throws Exception {
        byte[] selfie = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        byte[] card = DisBenchCards.card(selfie);
        String loadAverage = BioServerBenchmark.loadAverage();

        // ---------------------------------------------------------------- in-process
        Timings inProcess = Timings.create();
        double livenessScore;
        String pageFound;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(); DisBenchPageUpload pages = new DisBenchPageUpload(analyzer)) {
            DisLiveness liveness = new DisLiveness(analyzer, new FrameMeasurer(analyzer));
            DisScores scores = DisScores.load();
            for (int i = 0; i < WARM_UP; i++) {
                inProcessFlow(analyzer, liveness, pages, scores, selfie, card);
            }
            for (int i = 0; i < flows; i++) {
                inProcess.add(inProcessFlow(analyzer, liveness, pages, scores, selfie, card));
            }
            pageFound = pages.upload(card).found();
            livenessScore = liveness.passive(List.of(new DisLiveness.Selfie(DisLiveness.Assertion.NONE, selfie))).score();
            log("in-process flow: p50 %.1f ms over %d flows", inProcess.flow().percentileMs(50), inProcess.flow().count());
        }

        // ---------------------------------------------------------------- pipeline
        Timings pipeline = Timings.create();
        int[] errors = new int[CALLS.size()];
        for (int i = 0; i < WARM_UP; i++) {
            long[] t = pipelineFlow(selfie, card, errors);
            if (t == null) {
                throw new IllegalStateException("a warm-up flow failed (see above)");
            }
        }
        java.util.Arrays.fill(errors, 0);
        int failedFlows = 0;
        for (int i = 0; i < flows; i++) {
            long[] t = pipelineFlow(selfie, card, errors);
            if (t == null) {
                failedFlows++;
            } else {
                pipeline.add(t);
            }
        }
        log("pipeline flow: p50 %.1f ms over %d flows, %d failed", pipeline.flow().percentileMs(50), pipeline.flow().count(), failedFlows);

        // ---------------------------------------------------------------- report
        List<String> r = new ArrayList<>();
        r.add("### DIS passive onboarding (seed 004) through the pipeline vs in-process (" + LocalDate.now() + ")");
        r.add("");
        r.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                + System.getProperty("java.version") + "; broker, registry, processors (one JVM), gateway and this load generator on the same "
                + "machine; load average (1 / 5 / 15 min) at the command's start " + System.getenv().getOrDefault("OPENBIO_BENCH_LOAD_AT_START", "not given")
                + ", at the measurement's start (platform up) " + loadAverage + ", at the end " + BioServerBenchmark.loadAverage() + ".");
        r.add("Command: `bench/dis-onboarding.sh " + flows + "` (" + CALLS.size() + " calls per flow, " + flows + " flows one after the other"
                + " after " + WARM_UP + " warm-up flows, both sides; selfie and liveness selfie man_a.jpg, " + selfie.length + " bytes; page: the"
                + " synthetic TD1 card with the same photo as portrait, " + card.length + " bytes; passive liveness score "
                + String.format(Locale.ROOT, "%.3f", livenessScore) + "; in-process page upload of the card: " + pageFound + ").");
        r.add("");
        r.add("| call | pipeline p50 ms | pipeline p99 ms | errors | in-process p50 ms | in-process p99 ms |");
        r.add("|---|---|---|---|---|---|");
        for (int i = 0; i < CALLS.size(); i++) {
            r.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %d | %.2f | %.2f |", CALLS.get(i), pipeline.calls().get(i).percentileMs(50),
                    pipeline.calls().get(i).percentileMs(99), errors[i], inProcess.calls().get(i).percentileMs(50),
                    inProcess.calls().get(i).percentileMs(99)));
        }
        r.add(String.format(Locale.ROOT, "| **whole flow (%d calls), %d flows** | **%.1f** | **%.1f** | %d failed | **%.1f** | **%.1f** |",
                CALLS.size(), pipeline.flow().count(), pipeline.flow().percentileMs(50), pipeline.flow().percentileMs(99), failedFlows,
                inProcess.flow().percentileMs(50), inProcess.flow().percentileMs(99)));
        r.add("");
        r.add(String.format(Locale.ROOT, "Pipeline minus in-process, whole flow at p50: %.1f ms (%.1f ms per call on average). p99 of fewer"
                        + " than 100 samples is their maximum (nearest rank).", pipeline.flow().percentileMs(50) - inProcess.flow().percentileMs(50),
                (pipeline.flow().percentileMs(50) - inProcess.flow().percentileMs(50)) / CALLS.size()));
        String report = String.join("\n", r);
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report + "\n");
    }

    // ------------------------------------------------------------------ pipeline

    private HttpRequest.Builder request(String path) {
        return request(gateway, path);
    }

    private static HttpRequest.Builder request(String gateway, String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(60)).header("X-Tenant-Id", TENANT);
    }

    private HttpRequest json(String method, String path, String body) {
        return json(gateway, method, path, body);
    }

    private static HttpRequest json(String gateway, String method, String path, String body) {
        return request(gateway, path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest empty(String method, String path) {
        return request(path).method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    /** {@code POST /api/v1/customers} (no body), tenant {@link #TENANT}: the new customer's id is the answer's {@code id}. */
    public static HttpRequest createCustomerRequest(String gateway) {
        return request(gateway, "/api/v1/customers").method("POST", HttpRequest.BodyPublishers.noBody()).build();
    }

    /** The {@code PUT /api/v1/customers/{id}/selfie} body: {@code {"image":{"data":<selfie, Base64>}}}. */
    public static String selfieBody(byte[] selfie) {
        return "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(selfie) + "\"}}";
    }

    /** {@code PUT /api/v1/customers/{customer}/selfie} of {@code body} ({@link #selfieBody}). */
    public static HttpRequest selfieRequest(String gateway, String customer, String body) {
        return json(gateway, "PUT", "/api/v1/customers/" + customer + "/selfie", body);
    }

    /** One flow's calls, timed; null when a call failed (counted in {@code errors}, the flow stops there). */
    private long[] pipelineFlow(byte[] selfie, byte[] card, int[] errors) throws Exception {
        String image = "{\"data\":\"" + Base64.getEncoder().encodeToString(selfie) + "\"}";
        String page = "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(card) + "\"},"
                + "\"advice\":{\"classification\":{\"pageTypes\":[\"front\"]}}}";
        long[] t = new long[CALLS.size()];
        JsonNode created = call(0, empty("POST", "/api/v1/customers"), 200, j -> j.hasNonNull("id"), t, errors);
        if (created == null) {
            return null;
        }
        String base = "/api/v1/customers/" + created.get("id").asText();
        List<Step> steps = List.of(
                new Step(json("PUT", base + "/selfie", "{\"image\":" + image + "}"), 200, j -> j.has("detection")),
                new Step(empty("PUT", base + "/liveness"), 200, j -> j.has("links")),
                new Step(json("POST", base + "/liveness/selfies", "{\"image\":" + image + ",\"assertion\":\"NONE\"}"), 200, j -> !j.has("errorCode")),
                new Step(json("POST", base + "/liveness/evaluation", "{\"type\":\"PASSIVE_LIVENESS\"}"), 200, j -> j.has("score")),
                new Step(json("PUT", base + "/document", "{\"advice\":{\"classification\":{\"types\":[\"identity-card\"],\"countries\":[\"UTO\"]}}}"),
                        200, j -> j.has("links")),
                new Step(json("PUT", base + "/document/pages", page), 200, j -> j.has("detection") && !j.has("errorCode")),
                new Step(request(base).GET().build(), 200, j -> j.at("/customer/document/links/portrait").isTextual()),
                new Step(request(base + "/document/portrait").GET().build(), 200, j -> j.hasNonNull("data")),
                new Step(empty("POST", base + "/inspect"), 200, j -> j.at("/selfieInspection/similarityWith/livenessSelfies").isBoolean()
                        && j.at("/selfieInspection/similarityWith/documentPortrait").isBoolean()),
                new Step(empty("POST", base + "/document/inspect"), 200, j -> j.at("/pageTampering/front").isObject()
                        && j.at("/portraitInspection/ageEstimate").isInt()),
                new Step(request(base).DELETE().build(), 204, j -> true));
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (call(i + 1, s.request(), s.status(), s.check(), t, errors) == null) {
                if (i + 1 < CALLS.size() - 1) {
                    http.send(request(base).DELETE().build(), HttpResponse.BodyHandlers.discarding());
                }
                return null;
            }
        }
        return t;
    }

    private record Step(HttpRequest request, int status, Predicate<JsonNode> check) {
    }

    private JsonNode call(int index, HttpRequest request, int status, Predicate<JsonNode> check, long[] t, int[] errors) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        t[index] = System.nanoTime() - start;
        JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        if (response.statusCode() != status || !check.test(body)) {
            errors[index]++;
            // the status and the error code only: answers carry biometric data
            log("%s answered %d %s", CALLS.get(index), response.statusCode(), body.path("errorCode").asText(""));
            return null;
        }
        return body;
    }

    // ------------------------------------------------------------------ in-process

    /** The dis-customers stage's work for one flow, per call (nanoseconds). */
    static long[] inProcessFlow(FaceAnalyzer analyzer, DisLiveness liveness, DisBenchPageUpload pages, DisScores scores, byte[] selfie,
                                byte[] card) {
        long[] t = new long[CALLS.size()];
        long s = System.nanoTime();
        String id = UUID.randomUUID().toString();
        ObjectNode created = JSON.createObjectNode().put("id", id);
        created.putObject("links").put("self", "/api/v1/customers/" + id);
        created.toString();
        t[0] = System.nanoTime() - s;

        s = System.nanoTime();
        DecodedImage decoded = analyzer.decode(selfie);
        Face face = analyzer.detectAll(decoded).get(0);
        double age = analyzer.attributeEstimator().age(decoded.image(), face);
        double gender = analyzer.attributeEstimator().genderScore(decoded.image(), face);
        byte[] crop = analyzer.cropJpeg(decoded, face);
        ObjectNode selfieAnswer = JSON.createObjectNode();
        selfieAnswer.putObject("detection").put("confidence", face.score());
        selfieAnswer.toString();
        t[1] = System.nanoTime() - s;

        s = System.nanoTime();
        JSON.createObjectNode().putObject("links").put("self", "/api/v1/customers/" + id + "/liveness").toString();
        t[2] = System.nanoTime() - s;

        s = System.nanoTime();
        if (liveness.check(selfie).face() == null) {
            throw new IllegalStateException("no face on the liveness selfie");
        }
        t[3] = System.nanoTime() - s;

        s = System.nanoTime();
        DisLiveness.Evaluation evaluation = liveness.passive(List.of(new DisLiveness.Selfie(DisLiveness.Assertion.NONE, selfie)));
        JSON.createObjectNode().put("score", evaluation.score()).toString();
        t[4] = System.nanoTime() - s;

        s = System.nanoTime();
        JSON.createObjectNode().putObject("links").put("self", "/api/v1/customers/" + id + "/document").toString();
        t[5] = System.nanoTime() - s;

        s = System.nanoTime();
        DisBenchPageUpload.Upload page = pages.upload(card);
        byte[] portrait = page.portrait();
        t[6] = System.nanoTime() - s;
        if (page.checks().isEmpty()) {
            throw new IllegalStateException("no document check was measured on the card");
        }

        s = System.nanoTime();
        ObjectNode customer = JSON.createObjectNode();
        ObjectNode c = customer.putObject("customer");
        c.putObject("age").put("selfie", Long.toString(Math.round(age)));
        c.putObject("gender").put("selfie", gender >= io.openbio.inference.attributes.FaceAttributes.MALE_ABOVE ? "M" : "F");
        c.putObject("document").putObject("links").put("portrait", "/api/v1/customers/" + id + "/document/portrait");
        customer.toString();
        t[7] = System.nanoTime() - s;

        s = System.nanoTime();
        JSON.createObjectNode().put("data", Base64.getEncoder().encodeToString(portrait)).toString();
        t[8] = System.nanoTime() - s;

        s = System.nanoTime();
        // the selfie, each liveness image and the document portrait read again (processors InspectedFace); no chip here
        InspectedFace a = InspectedFace.of(analyzer, selfie);
        InspectedFace b = InspectedFace.of(analyzer, selfie);
        InspectedFace p = InspectedFace.of(analyzer, portrait);
        if (a == null || b == null || p == null) {
            throw new IllegalStateException("a face was not found again for the inspection");
        }
        ObjectNode similarity = JSON.createObjectNode();
        similarity.put("livenessSelfies", DisScores.samePerson(scores.match(a.template(), b.template()).score()));
        similarity.put("documentPortrait", DisScores.samePerson(scores.match(a.template(), p.template()).score()));
        ObjectNode inspection = JSON.createObjectNode();
        inspection.putObject("selfieInspection").set("similarityWith", similarity);
        inspection.with("selfieInspection").putObject("genderConsistency").put("documentPortrait", a.gender().equals(p.gender()));
        inspection.toString();
        t[9] = System.nanoTime() - s;

        s = System.nanoTime();
        // the portrait read again (the stage's document inspection); the page checks were measured at upload
        InspectedFace q = InspectedFace.of(analyzer, portrait);
        ObjectNode documentInspection = JSON.createObjectNode();
        documentInspection.putObject("portraitInspection").put("ageEstimate", (int) Math.round(q.age())).put("genderEstimate", q.gender());
        ObjectNode front = documentInspection.putObject("pageTampering").putObject("front");
        page.checks().forEach((check, genuine) -> front.put(check, genuine < 0.5));
        documentInspection.toString();
        t[10] = System.nanoTime() - s;

        s = System.nanoTime();
        t[11] = System.nanoTime() - s; // DELETE: store deletes only
        if (crop.length == 0) {
            throw new IllegalStateException("empty selfie crop");
        }
        return t;
    }

    static void log(String format, Object... args) {
        System.err.println("[dis-onboarding-bench] " + String.format(Locale.ROOT, format, args));
    }
}
