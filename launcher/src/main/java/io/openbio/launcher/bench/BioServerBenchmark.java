package io.openbio.launcher.bench;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.BioServerFace;
import io.openbio.events.BioServerSession;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.BioServerMatch;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.quality.TemplateQuality;
import io.openbio.launcher.LocalPlatform;
import io.openbio.schemas.contract.BioServerContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * BioServer (seed 003) through the pipeline (gateway -> bioserver stage -> gateway) against the same work
 * in-process on one thread, in one run, and the state a bio-session holds:
 *
 * <ol>
 * <li><b>Face creation</b>: {@code POST /bioserver-app/v2/bio-sessions/{id}/faces} (multipart/form-data,
 * {@code face} = {"imageType":"SELFIE"}, {@code image} = {@code .photos/man_a.jpg}), at a fixed rate and
 * closed loop, 50 faces per session (under {@code OPENBIO_BIOSERVER_MAX_FACES_PER_SESSION}, default 64; the
 * sessions are created beforehand, not timed). In-process: what the stage does per face (decode, detect,
 * the largest face's template, TemplateQuality, SHA-256 of the image, the template sealed with PayloadKeys,
 * the session with its faces so far Avro-serialized), without the store read and write.</li>
 * <li><b>Matches</b>: {@code GET .../faces/{ref}/matches} in a session of N faces (different photos). In-process:
 * the stage's work (2N template opens as the stage does them, N decodes, N-1 {@code compareBioServer}, the
 * Match JSON, sorted, written) and, as its own row, the gateway's signing of the N-1 matches (JWS RS256 over
 * the CRLF pretty-printed payload, RSA 2048, as BioServerSignatures; a key made here, same size).</li>
 * <li><b>State</b>: S sessions with 2 faces each made through the API from an earlier Face's template
 * ({@code POST .../faces}, application/json: no inference, image storage off) and M sessions with image
 * storage on, 2 faces each from the images; then the stage's changelog topics read back (latest record per
 * key: the compacted size) and the Avro size of such a session computed in-process. The RocksDB size on disk
 * is measured by {@code bench/bioserver.sh} after the platform stopped ({@link #onDisk}: a stopped stage has
 * flushed its memtables).</li>
 * </ol>
 *
 * <p>Arguments: gatewayUrl [rate=5] [seconds=60] [concurrency=4] [faces in the matches session=10]
 * [state sessions=2000] [image sessions=100] [output]; or {@code --on-disk <data dir> <report>} (after the run).
 */
public final class BioServerBenchmark {
    public static final String TENANT = "bench";
    public static final int FACES_PER_SESSION = 50;
    public static final String BASE = "/bioserver-app/v2/bio-sessions";
    static final String SESSIONS_CHANGELOG = BioServerContract.SESSIONS.applicationId() + "-bioserver-sessions-changelog";
    static final String IMAGES_CHANGELOG = BioServerContract.SESSIONS.applicationId() + "-bioserver-images-changelog";
    static final List<String> MATCH_PHOTOS = List.of("man_a.jpg", "man_b.jpg", "messi5.jpg", "facereg.jpg", "face_swapped.jpg",
            "same_man_x3.jpg", "yale_x4.jpg", "ab.jpg", "group1.jpg", "group2.jpg", "group3.jpg", "group4.jpg", "ela_original.jpg");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectWriter PAYLOAD_WRITER = new ObjectMapper()
            .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\r\n")));
    private static final String JWS_HEADER = "eyJhbGciOiJSUzI1NiJ9";

    private final String gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> setupStatuses = new ConcurrentSkipListMap<>();

    private BioServerBenchmark(String gateway) {
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--on-disk")) {
            onDisk(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int n = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        int stateSessions = args.length > 5 ? Integer.parseInt(args[5]) : 2000;
        int imageSessions = args.length > 6 ? Integer.parseInt(args[6]) : 100;
        Path output = Path.of(args.length > 7 ? args[7] : "launcher/target/bioserver-benchmark.md");
        new BioServerBenchmark(gateway).run(rate, seconds, concurrency, n, stateSessions, imageSessions, output);
        System.exit(0);
    }

    private void run(int rate, int seconds, int concurrency, int n, int stateSessions, int imageSessions, Path output) throws Exception {
        int closedSeconds = Math.max(10, seconds / 2);
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        String loadAverage = loadAverage();
        LoadRunner load = new LoadRunner();

        // ---------------------------------------------------------------- 1. face creation
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        byte[] faceBody = multipart(boundary, "{\"imageType\":\"SELFIE\"}", photo);
        SessionPool pool = new SessionPool();
        AtomicInteger faceCounter = new AtomicInteger();
        java.util.function.IntFunction<HttpRequest> face = i -> faceRequest(gateway, pool.session(faceCounter.getAndIncrement()), boundary, faceBody);
        HttpResponse<String> firstFace = http.send(face.apply(0), HttpResponse.BodyHandlers.ofString());
        if (firstFace.statusCode() != 201) {
            throw new IllegalStateException("POST faces answered " + firstFace.statusCode() + ": " + firstFace.body());
        }
        log("first face: 201 %s", firstFace.headers().firstValue("Location").orElse("(no Location)"));

        Latencies faceInProcess = new Latencies();
        Latencies matchStage = new Latencies();
        Latencies matchSigning = new Latencies();
        Latencies matchBoth = new Latencies();
        int templateVersion;
        List<BioServerFace> matchFaces = new ArrayList<>();
        String matchSessionKey = BioServerContract.sessionKey(UUID.randomUUID().toString());
        String inProcessAnswer;
        int twoFaceSessionAvro;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
            templateVersion = templateVersion(analyzer);
            String sessionId = UUID.randomUUID().toString();
            List<BioServerFace> faces = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                codeFace(analyzer, photo, sessionId, faces, templateVersion);
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                long t = System.nanoTime();
                codeFace(analyzer, photo, sessionId, faces, templateVersion);
                faceInProcess.add(System.nanoTime() - t);
            }
            log("in-process face: p50 %.1f ms over %d", faceInProcess.percentileMs(50), faceInProcess.count());

            // the matches session's faces, coded and sealed in-process the same way
            String matchSession = UUID.randomUUID().toString();
            matchSessionKey = BioServerContract.sessionKey(matchSession);
            for (String name : MATCH_PHOTOS) {
                if (matchFaces.size() == n) {
                    break;
                }
                try {
                    codeFace(analyzer, Files.readAllBytes(Path.of(".photos", name)), matchSession, matchFaces, templateVersion);
                } catch (RuntimeException e) {
                    log("in-process: %s has no usable face (%s)", name, e.getMessage());
                }
            }
            while (matchFaces.size() < n) {
                codeFace(analyzer, photo, matchSession, matchFaces, templateVersion);
            }
            BioServerSession session = session(matchSession, false, matchFaces, Instant.now());
            String twoFaceSession = UUID.randomUUID().toString();
            List<BioServerFace> two = new ArrayList<>();
            codeFace(analyzer, photo, twoFaceSession, two, templateVersion);
            codeFace(analyzer, Files.readAllBytes(Path.of(".photos", "man_b.jpg")), twoFaceSession, two, templateVersion);
            twoFaceSessionAvro = session(twoFaceSession, false, two, Instant.now()).toByteBuffer().remaining();
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            KeyPair key = rsa.generateKeyPair();
            inProcessAnswer = matches(analyzer, session, matchSessionKey, matchFaces.get(0));
            for (int i = 0; i < 200; i++) {
                sign(matches(analyzer, session, matchSessionKey, matchFaces.get(0)), key.getPrivate());
            }
            start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15)) {
                long t0 = System.nanoTime();
                String answer = matches(analyzer, session, matchSessionKey, matchFaces.get(0));
                long t1 = System.nanoTime();
                sign(answer, key.getPrivate());
                long t2 = System.nanoTime();
                matchStage.add(t1 - t0);
                matchSigning.add(t2 - t1);
                matchBoth.add(t2 - t0);
            }
            log("in-process matches: stage p50 %.2f ms, signing p50 %.2f ms", matchStage.percentileMs(50), matchSigning.percentileMs(50));
        }

        load.closedLoop(2, 10, face); // warm-up
        pool.ensure(faceCounter.get() + rate * seconds);
        LoadRunner.Outcome faceOpen = load.openLoop(rate, seconds, face);
        log("faces open loop: %s", faceOpen.statuses());
        LoadRunner.Outcome faceClosed = load.closedLoop(concurrency, closedSeconds, face);
        log("faces closed loop: %s", faceClosed.statuses());
        int faceSessions = pool.sessions.size();
        Map<Integer, Integer> deleted = new ConcurrentSkipListMap<>();
        for (String s : pool.sessions) {
            deleted.merge(send(HttpRequest.newBuilder(URI.create(gateway + BASE + "/" + s)).DELETE()).statusCode(), 1, Integer::sum);
        }

        // ---------------------------------------------------------------- 2. matches
        String session = createSession(false);
        List<String> faceIds = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (String name : MATCH_PHOTOS) {
            if (faceIds.size() == n) {
                break;
            }
            HttpResponse<String> r = addFace(session, Files.readAllBytes(Path.of(".photos", name)));
            if (r.statusCode() == 201) {
                faceIds.add(id(r));
                used.add(name);
            } else {
                log("%s: %d %s", name, r.statusCode(), r.body());
            }
        }
        while (faceIds.size() < n) {
            faceIds.add(id(addFace(session, photo)));
            used.add("man_a.jpg");
        }
        HttpRequest matches = HttpRequest.newBuilder(URI.create(gateway + BASE + "/" + session + "/faces/" + faceIds.get(0) + "/matches"))
                .timeout(Duration.ofSeconds(60)).header("X-Tenant-Id", TENANT).GET().build();
        HttpResponse<String> firstMatches = http.send(matches, HttpResponse.BodyHandlers.ofString());
        JsonNode firstMatchesJson = JSON.readTree(firstMatches.body());
        if (firstMatches.statusCode() != 200 || firstMatchesJson.size() != n - 1 || !firstMatchesJson.get(0).has("signature")) {
            throw new IllegalStateException("matches answered " + firstMatches.statusCode() + ": " + firstMatches.body());
        }
        load.closedLoop(2, 10, i -> matches); // warm-up
        LoadRunner.Outcome matchOpen = load.openLoop(rate * 4, seconds, i -> matches);
        log("matches open loop: %s", matchOpen.statuses());
        LoadRunner.Outcome matchClosed = load.closedLoop(concurrency, closedSeconds, i -> matches);
        log("matches closed loop: %s", matchClosed.statuses());

        // ---------------------------------------------------------------- 3. state
        // two Faces with their templates (GET .../faces/{id}), imported into each session: no inference
        List<String> templates = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway + BASE + "/" + session + "/faces/" + faceIds.get(i))).GET());
            ObjectNode f = (ObjectNode) JSON.readTree(r.body());
            f.remove(List.of("signature", "id", "created", "expires"));
            templates.add(JSON.writeValueAsString(f));
        }
        deleted.merge(send(HttpRequest.newBuilder(URI.create(gateway + BASE + "/" + session)).DELETE()).statusCode(), 1, Integer::sum);
        List<String> stateIds = new ArrayList<>();
        long fillStart = System.nanoTime();
        parallel(32, stateSessions, i -> {
            String s = createSession(false);
            for (String t : templates) {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway + BASE + "/" + s + "/faces"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(t)));
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("import answered " + r.statusCode() + ": " + r.body());
                }
            }
            synchronized (stateIds) {
                stateIds.add(s);
            }
        });
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        log("%d template sessions in %.1f s", stateSessions, fillSeconds);
        byte[] photoB = Files.readAllBytes(Path.of(".photos", "man_b.jpg"));
        List<String> imageIds = new ArrayList<>();
        long imageStart = System.nanoTime();
        parallel(concurrency, imageSessions, i -> {
            String s = createSession(true);
            for (byte[] image : List.of(photo, photoB)) {
                HttpResponse<String> r = addFace(s, image);
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("face answered " + r.statusCode() + ": " + r.body());
                }
            }
            synchronized (imageIds) {
                imageIds.add(s);
            }
        });
        double imageSeconds = (System.nanoTime() - imageStart) / 1e9;
        log("%d image sessions in %.1f s", imageSessions, imageSeconds);
        Thread.sleep(3000); // a commit or more: the changelogs hold the last writes

        Changelog sessionsLog = Changelog.read(SESSIONS_CHANGELOG);
        Changelog imagesLog = Changelog.read(IMAGES_CHANGELOG);
        long[] templateOnly = sessionsLog.bytes(stateIds, "");
        long[] withImagesSessions = sessionsLog.bytes(imageIds, "");
        long[] withImagesImages = imagesLog.bytesByPrefix(imageIds);
        long[] faceRuns = sessionsLog.bytes(pool.sessions, "");
        int faceRunFaces = faceCounter.get();

        // ---------------------------------------------------------------- report
        double faceOverhead = faceOpen.latencies().percentileMs(50) - faceInProcess.percentileMs(50);
        double matchOverhead = matchOpen.latencies().percentileMs(50) - matchBoth.percentileMs(50);
        double gib = 1024.0 * 1024 * 1024;
        double perTemplateSession = (double) templateOnly[1] / stateSessions;
        double perImageSession = (double) (withImagesSessions[1] + withImagesImages[1]) / imageSessions;
        List<String> r = new ArrayList<>();
        r.add("### BioServer (seed 003): face creation and matches through the pipeline vs in-process; sessions per GiB ("
                + LocalDate.now() + ")");
        r.add("");
        r.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                + System.getProperty("java.version") + "; broker, registry, processors (one JVM), gateway and this load generator on the same "
                + "machine; load average at the start " + loadAverage + ", at the end " + loadAverage() + ".");
        r.add("Command: `bench/bioserver.sh " + rate + " " + seconds + " " + concurrency + " " + n + " " + stateSessions + " " + imageSessions
                + "` (faces: a " + photo.length + "-byte JPEG, multipart/form-data, 50 faces per bio-session, sessions made beforehand; open loop "
                + rate + " req/s for " + seconds + " s, closed loop " + concurrency + " callers for " + closedSeconds + " s; matches: "
                + "a session of " + n + " faces (" + String.join(", ", used) + "), open loop " + (rate * 4) + " req/s, closed loop "
                + concurrency + " callers).");
        r.add("");
        r.add("| path | requests | errors | p50 ms | p99 ms | throughput |");
        r.add("|---|---|---|---|---|---|");
        r.add(inProcessRow("face creation in-process (decode, detect, template, TemplateQuality, SHA-256, template sealed, session Avro-serialized; 1 thread)",
                faceInProcess));
        r.add(DiagnosticBenchmark.row("face creation, pipeline, open loop " + rate + " req/s", faceOpen));
        r.add(DiagnosticBenchmark.row("face creation, pipeline, closed loop, " + concurrency + " callers", faceClosed));
        r.add(inProcessRow("matches in-process, stage work (" + (2 * n) + " template opens, " + n + " decodes, " + (n - 1)
                + " compareBioServer, Match JSON, sorted; 1 thread)", matchStage));
        r.add(inProcessRow("matches in-process, the gateway's signing (" + (n - 1) + " JWS RS256, RSA 2048; 1 thread)", matchSigning));
        r.add(inProcessRow("matches in-process, both (1 thread)", matchBoth));
        r.add(DiagnosticBenchmark.row("matches, pipeline, open loop " + (rate * 4) + " req/s", matchOpen));
        r.add(DiagnosticBenchmark.row("matches, pipeline, closed loop, " + concurrency + " callers", matchClosed));
        r.add("");
        r.add(String.format(Locale.ROOT, "Pipeline overhead at p50: face creation %.1f ms (%.0f%% of the in-process time), matches %.1f ms "
                        + "(%.0f%% of the in-process stage work + signing).", faceOverhead, 100 * faceOverhead / faceInProcess.percentileMs(50),
                matchOverhead, 100 * matchOverhead / matchBoth.percentileMs(50)));
        r.add("Statuses: faces open loop " + faceOpen.statuses() + ", closed loop " + faceClosed.statuses() + " (" + faceSessions
                + " sessions; these and the matches session deleted afterwards: " + deleted + "); matches open loop " + matchOpen.statuses() + ", closed loop "
                + matchClosed.statuses() + "; setup calls " + setupStatuses + ". First matches answer: " + firstMatchesJson.size()
                + " signed matches, best score " + firstMatchesJson.get(0).path("score").asDouble() + "; in-process answer "
                + JSON.readTree(inProcessAnswer).size() + " matches, best score " + JSON.readTree(inProcessAnswer).get(0).path("score").asDouble() + ".");
        r.add("");
        r.add(String.format(Locale.ROOT, "State: %,d bio-sessions of 2 faces each made through the API in %.1f s (32 callers: create, then "
                        + "two `POST .../faces` application/json with an earlier Face and its template: no inference, image storage off), "
                        + "and %,d sessions with image storage on, 2 faces each from man_a.jpg (%,d bytes) and man_b.jpg (%,d bytes), in %.1f s.",
                stateSessions, fillSeconds, imageSessions, photo.length, photoB.length, imageSeconds));
        r.add("");
        r.add("| bytes per bio-session (2 faces) | template-only | image storage on |");
        r.add("|---|---|---|");
        r.add(String.format(Locale.ROOT, "| Avro BioServerSession, serialized in-process (templates sealed the same way; no registry header) | %,d | - |",
                twoFaceSessionAvro));
        r.add(String.format(Locale.ROOT, "| changelog `%s`, last record per key (key + value, the compacted size), of these sessions | %,.0f | %,.0f |",
                SESSIONS_CHANGELOG, perTemplateSession, (double) withImagesSessions[1] / imageSessions));
        r.add(String.format(Locale.ROOT, "| changelog `%s`, last record per key (2 sealed images) | 0 | %,.0f |", IMAGES_CHANGELOG,
                (double) withImagesImages[1] / imageSessions));
        r.add(String.format(Locale.ROOT, "| changelog total | %,.0f | %,.0f |", perTemplateSession, perImageSession));
        r.add(String.format(Locale.ROOT, "| **sessions per GiB (changelog, compacted)** | **%,.0f** | **%,.0f** |", gib / perTemplateSession,
                gib / perImageSession));
        r.add("");
        r.add(String.format(Locale.ROOT, "Changelog records written for the template-only sessions: %,d (%,d bytes: every face re-writes the "
                        + "whole session, so before compaction a session of k faces costs about k+1 records of growing size); records on the "
                        + "sessions changelog in all %,d (%,d bytes), on the images changelog %,d (%,d bytes). Not counted: Kafka's record and batch "
                        + "headers and index files, replication (1 here), the Avro registry header is in the value.",
                templateOnly[2], templateOnly[3], sessionsLog.records, sessionsLog.bytes, imagesLog.records, imagesLog.bytes));
        r.add(String.format(Locale.ROOT, "Write amplification of the face runs: %,d faces in %d sessions of up to %d wrote %,d records and %,d bytes "
                        + "(%,.0f bytes per face created) on the sessions changelog, where one face adds about %,.0f bytes to a session's value: "
                        + "each face re-writes the whole session, so a session's bytes written grow with the square of its faces until compaction.",
                faceRunFaces, faceSessions, FACES_PER_SESSION, faceRuns[2], faceRuns[3], (double) faceRuns[3] / faceRunFaces,
                (double) twoFaceSessionAvro / 2));
        r.add("");
        r.add("<!-- on-disk: " + stateSessions + " " + imageSessions + " -->");
        String report = String.join("\n", r);
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report + "\n");
    }

    // ------------------------------------------------------------------ in-process

    /** What the stage does for one face, the session (its faces so far, 50 at most) serialized as the store's value; returns it. */
    static BioServerFace codeFace(FaceAnalyzer analyzer, byte[] image, String sessionId, List<BioServerFace> faces, int templateVersion) {
        DecodedImage decoded = analyzer.decode(image);
        List<Face> found = analyzer.detectAll(decoded);
        if (found.isEmpty()) {
            throw new IllegalStateException("no face found");
        }
        Face face = found.get(0);
        Template template = analyzer.embed(decoded, face);
        int quality = TemplateQuality.of(face);
        String digest = sha256(image);
        String faceId = UUID.randomUUID().toString();
        String key = BioServerContract.sessionKey(sessionId) + "/" + faceId;
        var k = face.keypoints();
        var b = face.box();
        BioServerFace coded = BioServerFace.newBuilder()
                .setId(faceId)
                .setFriendlyName(null)
                .setDigest(digest)
                .setMode("F5_1_VID60")
                .setImageType("SELFIE")
                .setQuality(quality)
                .setEyes(List.of(k.rightEye().x(), k.rightEye().y(), k.leftEye().x(), k.leftEye().y()))
                .setBox(List.of((int) Math.round(b.x()), (int) Math.round(b.y()), (int) Math.round(b.width()), (int) Math.round(b.height())))
                .setTemplate(PayloadKeys.shared().sealText(TENANT, Purpose.TEMPLATE, key, template.encode()))
                .setTemplateVersion(templateVersion)
                .setImageRotationEnabled(null)
                .setCreatedAt(Instant.now())
                .build();
        if (faces.size() == FACES_PER_SESSION) {
            faces.clear();
        }
        faces.add(coded);
        try {
            session(sessionId, false, faces, Instant.now()).toByteBuffer();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return coded;
    }

    static BioServerSession session(String id, boolean images, List<BioServerFace> faces, Instant now) {
        return BioServerSession.newBuilder()
                .setId(id)
                .setTenant(TENANT)
                .setImageStorageEnabled(images)
                .setCreatedAt(now)
                .setExpiresAt(now.plusSeconds(3600))
                .setFaces(new ArrayList<>(faces))
                .setRequestId(UUID.randomUUID().toString())
                .build();
    }

    /** The stage's matches answer (BioServerProcessor.matches and BioServerJson, replicated: they are package-private there). */
    static String matches(FaceAnalyzer analyzer, BioServerSession session, String sessionKey, BioServerFace reference) throws Exception {
        Instant now = Instant.now();
        Template referenceTemplate = analyzer.decodeTemplate(open(session, sessionKey, reference));
        ObjectNode referenceJson = faceJson(reference, open(session, sessionKey, reference), session.getExpiresAt());
        record Scored(ObjectNode json, double score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (BioServerFace candidate : session.getFaces()) {
            if (candidate.getId().equals(reference.getId())) {
                continue;
            }
            BioServerMatch match = analyzer.compareBioServer(referenceTemplate, analyzer.decodeTemplate(open(session, sessionKey, candidate)));
            ObjectNode candidateJson = faceJson(candidate, open(session, sessionKey, candidate), session.getExpiresAt());
            ObjectNode node = JSON.createObjectNode();
            node.set("reference", withoutTemplate(referenceJson));
            node.set("candidate", withoutTemplate(candidateJson));
            node.put("score", match.score());
            node.put("falseAcceptanceRate", match.falseAcceptanceRate());
            node.put("created", DATETIME.format(now));
            node.put("expires", DATETIME.format(session.getExpiresAt()));
            scored.add(new Scored(node, match.score()));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        ArrayNode array = JSON.createArrayNode();
        scored.forEach(s -> array.add(s.json()));
        return JSON.writeValueAsString(array);
    }

    private static String open(BioServerSession session, String sessionKey, BioServerFace face) {
        return PayloadKeys.shared().openText(session.getTenant(), Purpose.TEMPLATE, sessionKey + "/" + face.getId(), face.getTemplate());
    }

    private static ObjectNode faceJson(BioServerFace face, String template, Instant expires) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", face.getId());
        node.put("digest", face.getDigest());
        node.put("mode", face.getMode());
        node.put("imageType", face.getImageType());
        node.put("quality", Math.round(face.getQuality()));
        ObjectNode landmarks = node.putObject("landmarks");
        ObjectNode e = landmarks.putObject("eyes");
        e.put("x1", (float) (double) face.getEyes().get(0));
        e.put("y1", (float) (double) face.getEyes().get(1));
        e.put("x2", (float) (double) face.getEyes().get(2));
        e.put("y2", (float) (double) face.getEyes().get(3));
        ObjectNode b = landmarks.putObject("box");
        b.put("x", face.getBox().get(0));
        b.put("y", face.getBox().get(1));
        b.put("width", face.getBox().get(2));
        b.put("height", face.getBox().get(3));
        node.put("template", template);
        node.put("templateVersion", face.getTemplateVersion());
        node.put("created", DATETIME.format(face.getCreatedAt()));
        node.put("expires", DATETIME.format(expires));
        return node;
    }

    private static ObjectNode withoutTemplate(ObjectNode face) {
        ObjectNode copy = face.deepCopy();
        copy.remove(List.of("template", "templateVersion", "created", "expires", "signature"));
        return copy;
    }

    /** The gateway's signing of a list answer (BioServerSignatures.signAll, replicated: the gateway is not on this classpath). */
    static String sign(String answer, PrivateKey key) throws Exception {
        JsonNode body = JSON.readTree(answer);
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode element : body) {
            ObjectNode copy = element.deepCopy();
            copy.remove("signature");
            ObjectNode unsigned = copy.deepCopy();
            String payload = PAYLOAD_WRITER.writeValueAsString(unsigned);
            String input = JWS_HEADER + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(input.getBytes(StandardCharsets.US_ASCII));
            copy.put("signature", input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign()));
            out.add(copy);
        }
        return JSON.writeValueAsString(out);
    }

    static int templateVersion(FaceAnalyzer analyzer) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest((analyzer.templateModelId() + ":" + analyzer.templateModelVersion())
                .getBytes(StandardCharsets.UTF_8));
        return ((h[0] & 0xff) << 8) | (h[1] & 0xff);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String inProcessRow(String name, Latencies l) {
        return String.format(Locale.ROOT, "| %s | %d | 0 | %.2f | %.2f | %.1f/s |", name, l.count(), l.percentileMs(50), l.percentileMs(99),
                1000 / l.percentileMs(50));
    }

    // ------------------------------------------------------------------ HTTP

    /** Sessions for the face calls: session i/50 holds call i; made on first need (or beforehand with {@link #ensure}). */
    final class SessionPool {
        final List<String> sessions = new ArrayList<>();

        synchronized String session(int call) {
            ensure(call + 1);
            return sessions.get(call / FACES_PER_SESSION);
        }

        synchronized void ensure(int calls) {
            while (sessions.size() * FACES_PER_SESSION < calls) {
                sessions.add(createSession(false));
            }
        }
    }

    /** {@code POST .../bio-sessions/{session}/faces}, multipart {@code body} ({@link #multipart}), tenant {@link #TENANT}. */
    public static HttpRequest faceRequest(String gateway, String session, String boundary, byte[] body) {
        return HttpRequest.newBuilder(URI.create(gateway + BASE + "/" + session + "/faces")).timeout(Duration.ofSeconds(60))
                .header("X-Tenant-Id", TENANT).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** {@code POST .../bio-sessions} (TTL one hour), without the tenant header and timeout {@link #send} adds. */
    public static HttpRequest.Builder sessionRequest(String gateway, boolean images) {
        return HttpRequest.newBuilder(URI.create(gateway + BASE)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ttlSeconds\":3600,\"imageStorageEnabled\":" + images + "}"));
    }

    String createSession(boolean images) {
        HttpResponse<String> r = send(sessionRequest(gateway, images));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST bio-sessions answered " + r.statusCode() + ": " + r.body());
        }
        return id(r);
    }

    HttpResponse<String> addFace(String session, byte[] image) {
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        return send(HttpRequest.newBuilder(URI.create(gateway + BASE + "/" + session + "/faces"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, "{\"imageType\":\"SELFIE\"}", image))));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).header("X-Tenant-Id", TENANT).build(),
                    HttpResponse.BodyHandlers.ofString());
            setupStatuses.merge(r.statusCode(), 1, Integer::sum);
            return r;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String id(HttpResponse<String> created) {
        String location = created.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("no Location"));
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public static byte[] multipart(String boundary, String face, byte[] image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"face\"\r\nContent-Type: application/json\r\n\r\n"
                + face + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"image.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(image);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    interface Task {
        void run(int i) throws Exception;
    }

    static void parallel(int threads, int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                task.run(index);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void log(String format, Object... args) {
        System.err.println("[bioserver-bench] " + String.format(Locale.ROOT, format, args));
    }

    // ------------------------------------------------------------------ state

    /** A changelog topic read from the beginning: the last record size (key + value) per key, and the totals. */
    record Changelog(Map<String, Integer> latest, Map<String, long[]> written, long records, long bytes) {
        static Changelog read(String topic) throws Exception {
            Map<String, Object> config = new LocalPlatform().kafkaSettings().consumer(null, "bioserver-bench");
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            Map<String, Integer> latest = new HashMap<>();
            Map<String, long[]> written = new HashMap<>();
            long records = 0;
            long bytes = 0;
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        int size = r.key().getBytes(StandardCharsets.UTF_8).length + (r.value() == null ? 0 : r.value().length);
                        records++;
                        bytes += size;
                        if (r.value() == null) {
                            latest.remove(r.key());
                        } else {
                            latest.put(r.key(), size);
                        }
                        long[] w = written.computeIfAbsent(r.key(), k -> new long[2]);
                        w[0]++;
                        w[1] += size;
                    }
                }
            }
            return new Changelog(latest, written, records, bytes);
        }

        /** {keys found, bytes of their last records, records written, bytes written} for the sessions' keys. */
        long[] bytes(List<String> sessionIds, String suffix) {
            long[] out = new long[4];
            for (String id : sessionIds) {
                String key = BioServerContract.sessionKey(id) + suffix;
                Integer size = latest.get(key);
                if (size != null) {
                    out[0]++;
                    out[1] += size;
                }
                long[] w = written.get(key);
                if (w != null) {
                    out[2] += w[0];
                    out[3] += w[1];
                }
            }
            return out;
        }

        /** The same for every key under the sessions' keys ({@code <session key>/...}: the images store). */
        long[] bytesByPrefix(List<String> sessionIds) {
            long[] out = new long[4];
            java.util.Set<String> prefixes = new java.util.HashSet<>();
            sessionIds.forEach(id -> prefixes.add(BioServerContract.sessionKey(id)));
            for (Map.Entry<String, Integer> e : latest.entrySet()) {
                int slash = e.getKey().indexOf('/');
                if (slash > 0 && prefixes.contains(e.getKey().substring(0, slash))) {
                    out[0]++;
                    out[1] += e.getValue();
                }
            }
            return out;
        }
    }

    /**
     * After the platform stopped (its stores closed and flushed): the RocksDB folders of the bioserver
     * stage's two stores under {@code <data dir>/streams}, summed over the tasks, appended to the report.
     */
    static void onDisk(Path data, Path reportPath) throws Exception {
        String report = Files.readString(reportPath);
        int at = report.indexOf("<!-- on-disk: ");
        String[] counts = report.substring(at + 14, report.indexOf(" -->", at)).split(" ");
        int stateSessions = Integer.parseInt(counts[0]);
        int imageSessions = Integer.parseInt(counts[1]);
        long[] sessions = storeBytes(data.resolve("streams"), "bioserver-sessions");
        long[] images = storeBytes(data.resolve("streams"), "bioserver-images");
        double gib = 1024.0 * 1024 * 1024;
        int all = stateSessions + imageSessions;
        double perSession = (double) sessions[1] / all;
        double perSessionSst = (double) sessions[0] / all;
        double perImages = (double) images[1] / imageSessions;
        double perImagesSst = (double) images[0] / imageSessions;
        String text = String.join("\n",
                String.format(Locale.ROOT, "RocksDB on disk after the platform stopped (stores closed, memtables flushed), `%s/streams/%s/*/rocksdb/`: "
                                + "store `bioserver-sessions` %,d bytes in SST files, %,d bytes in all its folders (%d task folders: "
                                + "LOG, MANIFEST, OPTIONS files included); store `bioserver-images` %,d / %,d bytes. The sessions store holds the %,d "
                                + "template-only and the %,d image sessions (same size but for the flag), plus the tombstones of the sessions "
                                + "deleted after the face and matches runs.",
                        "<data dir>", BioServerContract.SESSIONS.applicationId(), sessions[0], sessions[1], sessions[2], images[0], images[1],
                        stateSessions, imageSessions),
                "",
                "| bytes per bio-session (2 faces), RocksDB on disk | template-only | image storage on |",
                "|---|---|---|",
                String.format(Locale.ROOT, "| SST files | %,.0f | %,.0f |", perSessionSst, perSessionSst + perImagesSst),
                String.format(Locale.ROOT, "| whole store folders | %,.0f | %,.0f |", perSession, perSession + perImages),
                String.format(Locale.ROOT, "| **sessions per GiB (RocksDB SST files)** | **%,.0f** | **%,.0f** |", gib / perSessionSst,
                        gib / (perSessionSst + perImagesSst)),
                "");
        System.out.println(text);
        Files.writeString(reportPath, report.replaceAll("<!-- on-disk: [0-9 ]+ -->\n?", "") + text);
    }

    /** {SST bytes, all file bytes, folders} of every {@code rocksdb/<store>} folder under {@code root}. */
    static long[] storeBytes(Path root, String store) throws Exception {
        long[] out = new long[3];
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(root)) {
            folders = walk.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals(store)
                    && p.getParent().getFileName().toString().equals("rocksdb")).toList();
        }
        for (Path folder : folders) {
            out[2]++;
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    long size = Files.size(f);
                    out[1] += size;
                    if (f.getFileName().toString().endsWith(".sst")) {
                        out[0] += size;
                    }
                }
            }
        }
        return out;
    }
}
