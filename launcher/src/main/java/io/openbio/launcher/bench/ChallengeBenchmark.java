package io.openbio.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureChallenge;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.RequestEnvelope;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.challenge.ActionSet;
import io.openbio.inference.challenge.Challenge;
import io.openbio.inference.challenge.ChallengeGenerator;
import io.openbio.inference.challenge.ChallengeVerdict;
import io.openbio.inference.challenge.TimedFrame;
import io.openbio.processors.capture.CaptureSignals;
import io.openbio.processors.capture.DecryptProcessor;
import io.openbio.processors.challenge.ChallengeAnalysis;
import io.openbio.processors.challenge.ModelChallengeAnalysis;
import io.openbio.processors.core.Sealing;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Active challenge liveness ({@code POST /challenge/verify}) through the pipeline (gateway -> decrypt
 * -> nonce -> challenge-verify -> gateway) against the same work in-process, in one run (issue 16).
 *
 * <p>Every capture has {@code frames} frames of one real photo, each re-encoded with a slight change
 * (another JPEG quality and one 8x8 block a few levels brighter) so that no two frames of a capture are
 * byte-identical, 200 ms apart, and its own fresh challenge from {@code POST /challenge} (the server's
 * default k and action kinds). A still photo performs no action, so the decisions are expected to be
 * SPOOF or FAILED; what is measured is the time, which does not depend on the decision (every frame is
 * measured whatever it is). Captures are sent one at a time (sequential); the next challenge is issued
 * before the current capture is sent, and a capture is sent only once its last frame's timestamp has
 * passed (as a real capture would).
 *
 * <p>In-process, 1 thread, the stages' work on the same frames: bundle decryption, the frames sealed
 * and the injection signals (decrypt stage), each frame opened, {@code FrameMeasurer.measure} of every
 * frame, {@code ChallengeVerifier.verify}, passive liveness of the best frame
 * ({@link ModelChallengeAnalysis}, what the challenge-verify stage runs). The challenge there is drawn
 * locally ({@link ChallengeGenerator#issue}, k = 3 from HEAD + SMILE + EYES, the server's default).
 *
 * <p>The machine check: the {@code /check_capture_liveness} in-process work (one frame, see
 * {@link CaptureLivenessBenchmark}) for 5 s, compared with its recorded figure ({@link HopProfile#flag}),
 * flagged when this machine is not the recorded one.
 *
 * <p>The platform must be running ({@code bench/challenge.sh} starts it).
 * Arguments: gatewayUrl [captures=20] [frames=12] [output]
 */
public final class ChallengeBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final long FRAME_MS = 200;
    static final int WARM_UP = 2;
    /** the most frames the gateway takes in a challenge capture. */
    static final int MAX_FRAMES = 64;
    static final String PHOTO = "man_a.jpg";

    private ChallengeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int captures = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int frameCount = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        Path output = Path.of(args.length > 3 ? args[3] : "target/challenge-benchmark.md");
        if (captures < 1 || frameCount < 1 || frameCount > MAX_FRAMES) {
            throw new IllegalArgumentException("captures >= 1 and frames 1.." + MAX_FRAMES + " expected");
        }

        byte[] photo = Files.readAllBytes(Path.of(".photos", PHOTO));
        BufferedImage still = ImageIO.read(new ByteArrayInputStream(photo));
        List<byte[]> frames = frames(still, frameCount);
        long frameBytes = frames.stream().mapToLong(f -> f.length).sum();

        // In-process first (the platform idle), with a key of its own.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair local = generator.generateKeyPair();
        Latencies calibration = new Latencies();
        Latencies inProcess = new Latencies();
        Map<String, Integer> verdicts = new TreeMap<>();
        try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
            byte[] single = CaptureLivenessBenchmark.bundle(photo, "n", local.getPublic(), "local");
            for (int i = 0; i < 10; i++) {
                CaptureLivenessBenchmark.inProcess(analyzer, single, local);
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
                long t = System.nanoTime();
                CaptureLivenessBenchmark.inProcess(analyzer, single, local);
                calibration.add(System.nanoTime() - t);
            }

            ModelChallengeAnalysis analysis = new ModelChallengeAnalysis(() -> analyzer);
            for (int i = 0; i < WARM_UP + captures; i++) {
                long span = (frameCount - 1) * FRAME_MS + 100;
                Challenge challenge = ChallengeGenerator.issue("local-" + i, 3, ActionSet.union(ActionSet.HEAD, ActionSet.SMILE, ActionSet.EYES),
                        System.currentTimeMillis() - span - 200, 120_000);
                byte[] bundle = challengeBundle(frames, still, challenge.id(), challenge.actions().stream().map(Enum::name).toList(),
                        challenge.issuedAt() + 100, local.getPublic(), "local");
                long t = System.nanoTime();
                ChallengeVerdict verdict = inProcess(analysis, bundle, local.getPrivate(), challenge).verdict();
                long took = System.nanoTime() - t;
                if (i >= WARM_UP) {
                    inProcess.add(took);
                    verdicts.merge(verdict.decision() + " (" + verdict.reason() + ")", 1, Integer::sum);
                }
            }
        }

        // Through the pipeline, one capture at a time.
        CaptureClient client = new CaptureClient(gateway);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI verify = URI.create(gateway + "/challenge/verify");
        String metrics = "http://127.0.0.1:" + io.openbio.schemas.kafka.KafkaSettings.setting(io.openbio.schemas.settings.Settings.PROCESSOR_HTTP_PORT) + "/metrics";
        Latencies pipeline = new Latencies();
        Map<String, Integer> decisions = new TreeMap<>();
        Map<Integer, Integer> failures = new TreeMap<>();
        Map<String, Double> m0 = Map.of();
        JsonNode next = client.challenge();
        for (int i = 0; i < WARM_UP + captures; i++) {
            if (i == WARM_UP) {
                m0 = StageMetrics.scrape(metrics);
            }
            JsonNode issued = next;
            String nonce = issued.get("nonce").asText();
            List<String> actions = new ArrayList<>();
            issued.get("actions").forEach(a -> actions.add(a.asText()));
            long issuedAt = Instant.parse(issued.get("issuedAt").asText()).toEpochMilli();
            byte[] bundle = challengeBundle(frames, still, nonce, actions, issuedAt + 100, client.serverKey(), client.kid());
            next = i + 1 < WARM_UP + captures ? client.challenge() : null;
            long end = issuedAt + 100 + (frameCount - 1) * FRAME_MS + 100;
            long wait = end - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait); // the capture's last frame is not in the future
            }
            HttpRequest request = HttpRequest.newBuilder(verify).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build();
            long t = System.nanoTime();
            int status;
            String body;
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                status = answer.statusCode();
                body = answer.body();
            } catch (java.io.IOException e) {
                status = 0;
                body = null;
            }
            long took = System.nanoTime() - t;
            if (i < WARM_UP) {
                continue;
            }
            if (status == 200) {
                pipeline.add(took);
                JsonNode json = JSON.readTree(body);
                decisions.merge(json.get("decision").asText() + " (" + json.get("reason").asText() + ")", 1, Integer::sum);
            } else {
                failures.merge(status, 1, Integer::sum);
            }
        }
        Map<String, Double> m1 = StageMetrics.scrape(metrics);

        int errors = failures.values().stream().mapToInt(Integer::intValue).sum();
        double in50 = inProcess.percentileMs(50);
        double pipe50 = pipeline.percentileMs(50);
        double overhead = pipe50 - in50;
        String report = String.join("\n",
                "### /challenge/verify through the pipeline vs in-process (" + LocalDate.now() + ")",
                "",
                "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                        + System.getProperty("java.version") + "; broker, registry, processors (one JVM), gateway and this benchmark on the same machine.",
                "Command: `bench/challenge.sh " + captures + " " + frameCount + "` (" + captures + " captures after " + WARM_UP
                        + " not measured, each of " + frameCount + " frames of `.photos/" + PHOTO + "` (" + still.getWidth() + "x" + still.getHeight()
                        + ", " + photo.length + " bytes) re-encoded per frame so no two are byte-identical, " + frameBytes / frameCount
                        + " bytes per frame on average, " + FRAME_MS + " ms apart; each capture with its own fresh challenge of "
                        + "the server's default actions; one capture at a time).",
                "",
                "| path | captures | errors | p50 ms / capture | p99 ms / capture | p50 ms / frame |",
                "|---|---|---|---|---|---|",
                String.format(Locale.ROOT, "| in-process (decrypt, seal, signals, open, measure %d frames, verify, passive liveness of the best frame; 1 thread) | %d | 0 | %.1f | %.1f | %.1f |",
                        frameCount, inProcess.count(), in50, inProcess.percentileMs(99), in50 / frameCount),
                String.format(Locale.ROOT, "| pipeline, sequential (POST /challenge/verify, one capture at a time) | %d | %d | %.1f | %.1f | %.1f |",
                        pipeline.count() + errors, errors, pipe50, pipeline.percentileMs(99), pipe50 / frameCount),
                "",
                String.format(Locale.ROOT, "Pipeline overhead at p50: %.1f ms per capture (%.0f%% of the in-process time).", overhead, 100 * overhead / in50),
                (captures <= 100 ? "With " + captures + " captures, p99 is the slowest capture (nearest rank)." : ""),
                "",
                "Decisions (decision (reason): captures). Pipeline: " + counts(decisions)
                        + (failures.isEmpty() ? "" : "; not answered 200: " + failures)
                        + ". In-process (the verifier's verdict, before the stage adds the signals and the passive score): " + counts(verdicts) + ".",
                "",
                String.format(Locale.ROOT, "Machine check: the /check_capture_liveness in-process work (one frame) took p50 %.1f ms here (%d runs in 5 s).",
                        calibration.percentileMs(50), calibration.count()),
                HopProfile.flag("capture", calibration.percentileMs(50)),
                "",
                "Exactly-once commits of the route's stages during the measured captures:",
                "",
                StageMetrics.table(io.openbio.schemas.contract.ChallengeContract.ROUTE, m0, m1));
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.exit(errors == 0 ? 0 : 1);
    }

    private static String counts(Map<String, Integer> counts) {
        StringBuilder out = new StringBuilder();
        counts.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
        return out.length() == 0 ? "none" : out.toString();
    }

    /**
     * {@code n} frames of {@code still}: frame i has the 8x8 block i of the top row (wrapping to the next
     * rows) 6 levels brighter and is encoded at JPEG quality 0.80-0.95; no two frames are byte-identical
     * (checked).
     */
    public static List<byte[]> frames(BufferedImage still, int n) throws Exception {
        List<byte[]> frames = new ArrayList<>(n);
        Set<String> seen = new HashSet<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int perRow = still.getWidth() / 8;
        for (int i = 0; i < n; i++) {
            BufferedImage frame = new BufferedImage(still.getWidth(), still.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = frame.createGraphics();
            g.drawImage(still, 0, 0, null);
            g.dispose();
            int bx = (i % perRow) * 8;
            int by = (i / perRow) * 8;
            for (int y = by; y < by + 8; y++) {
                for (int x = bx; x < bx + 8; x++) {
                    int rgb = frame.getRGB(x, y);
                    int r = Math.min(255, ((rgb >> 16) & 0xff) + 6);
                    int gr = Math.min(255, ((rgb >> 8) & 0xff) + 6);
                    int b = Math.min(255, (rgb & 0xff) + 6);
                    frame.setRGB(x, y, (r << 16) | (gr << 8) | b);
                }
            }
            byte[] jpeg = jpeg(frame, 0.80f + (i % 16) * 0.01f);
            if (!seen.add(HexFormat.of().formatHex(sha.digest(jpeg)))) {
                throw new IllegalStateException("frame " + i + " is byte-identical to an earlier one");
            }
            frames.add(jpeg);
        }
        return frames;
    }

    static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A challenge capture (bundle/SPEC.md 5.2) of {@code frames}: the first frame at {@code firstFrameAt} + 50 ms,
     * then one every {@link #FRAME_MS} ms; it declares {@code challengeId} and {@code actions}, each prompt shown
     * at an equal share of the capture.
     */
    public static byte[] challengeBundle(List<byte[]> frames, BufferedImage size, String challengeId, List<String> actions, long firstFrameAt,
                                  PublicKey key, String kid) {
        long start = firstFrameAt;
        long end = start + 50 + (frames.size() - 1) * FRAME_MS + 50;
        List<CaptureFrame> captured = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            captured.add(new CaptureFrame(frames.get(i), "image/jpeg", start + 50 + i * FRAME_MS, size.getWidth(), size.getHeight()));
        }
        List<Long> prompts = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            prompts.add(start + (end - start) * i / actions.size());
        }
        CaptureMetadata metadata = new CaptureMetadata(challengeId, start, end, Map.of("os", "Linux", "client", "benchmark"),
                new CameraInfo("Integrated Camera", size.getWidth(), size.getHeight(), "user"), "openbio-bench", "1",
                new CaptureChallenge(challengeId, actions, prompts));
        return BundleWriter.write(new CaptureBundle(metadata, captured), key, kid);
    }

    /** The challenge-verify route's work on one capture, in-process (see the class doc). */
    static ChallengeAnalysis.Result inProcess(ModelChallengeAnalysis analysis, byte[] bundle, PrivateKey key, Challenge challenge) throws Exception {
        CaptureBundle capture = BundleReader.read(bundle, kid -> Optional.of(key));
        RequestEnvelope request = RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString()).setTenant("bench")
                .setOperation("challenge.verify").setCreatedAt(Instant.now()).build();
        CaptureAnalysis sealed = CaptureAnalysis.newBuilder(DecryptProcessor.analysis(request, "local", capture, List.of()))
                .setNonceIssuedAt(challenge.issuedAt()).setNonceExpiresAt(challenge.expiresAt()).build();
        CaptureSignals.evaluate(sealed);
        List<TimedFrame> frames = new ArrayList<>(sealed.getFrames().size());
        for (CapturedFrame frame : sealed.getFrames()) {
            frames.add(new TimedFrame(frame.getTimestamp(), Sealing.frame(sealed, frame)));
        }
        return analysis.analyze(challenge, frames);
    }
}
