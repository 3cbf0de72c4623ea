package io.openbio.processors.lcp;

import io.openbio.events.Signal;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.MatchScores;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.liveness.LivenessResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verification decision of {@code /liveness/verify}: ACCEPTED only when the probe shows one face,
 * every injection signal of its capture passed (a capture bundle's: nonce single use, timing, virtual
 * camera, duplicated frames, resolution, EXIF; a plain image has none), its combined passive liveness
 * probability is at least the liveness threshold and its calibrated same-person probability against the
 * user's reference face is at least the match threshold. Otherwise REJECTED, with the first failed
 * rule as the reason (in the audit figures, never in the answer).
 *
 * <p>{@link #analyse} runs the models once; its {@link Evidence} travels in the request's attributes
 * when the decision waits for the nonce stage's verdict ({@link Evidence#toAttributes()}), so the
 * models run in one place and the reference is resolved once.
 */
public final class LcpDecision {
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";
    static final String PREFIX = "lcp.evidence.";

    private LcpDecision() {
    }

    /**
     * What the models say about a probe.
     *
     * @param faceStatus  OK, or why the probe has no single usable face (FACE_NOT_FOUND, MULTIPLE_FACES, FACE_TOO_SMALL)
     * @param liveness    combined passive liveness probability (NaN without a face)
     * @param modelScores each liveness model's live probability
     * @param match       calibrated same-person probability against the reference (NaN without a face)
     * @param cosine      the raw cosine similarity behind it (NaN without a face)
     */
    public record Evidence(String faceStatus, double liveness, Map<String, Double> modelScores, double match, double cosine) {
        public Evidence {
            modelScores = Map.copyOf(modelScores);
        }

        static Evidence noFace(String status) {
            return new Evidence(status, Double.NaN, Map.of(), Double.NaN, Double.NaN);
        }

        /** As request attributes ({@code lcp.evidence.*}), to travel through the nonce stage. */
        public Map<String, String> toAttributes() {
            Map<String, String> out = new HashMap<>();
            out.put(PREFIX + "faceStatus", faceStatus);
            out.put(PREFIX + "liveness", Double.toString(liveness));
            out.put(PREFIX + "match", Double.toString(match));
            out.put(PREFIX + "cosine", Double.toString(cosine));
            modelScores.forEach((model, score) -> out.put(PREFIX + "model." + model, Double.toString(score)));
            return out;
        }

        /** Read back from {@link #toAttributes()}; null when the attributes carry none. */
        public static Evidence fromAttributes(Map<String, String> attributes) {
            String status = attributes.get(PREFIX + "faceStatus");
            if (status == null) {
                return null;
            }
            Map<String, Double> models = new LinkedHashMap<>();
            attributes.forEach((key, value) -> {
                if (key.startsWith(PREFIX + "model.")) {
                    models.put(key.substring((PREFIX + "model.").length()), Double.parseDouble(value));
                }
            });
            return new Evidence(status, number(attributes, "liveness"), models, number(attributes, "match"), number(attributes, "cosine"));
        }

        private static double number(Map<String, String> attributes, String name) {
            String value = attributes.get(PREFIX + name);
            return value == null ? Double.NaN : Double.parseDouble(value);
        }
    }

    /**
     * The decision and what it rests on.
     *
     * @param result  ACCEPTED or REJECTED
     * @param reason  OK, NO_SINGLE_FACE:&lt;status&gt;, INJECTION:&lt;signal&gt;, NOT_LIVE or NO_MATCH
     * @param figures for the audit records (no biometric data)
     * @param signals every check with its verdict, for the platform audit record
     */
    public record Decision(String result, String reason, Map<String, String> figures, List<Signal> signals) {
        public boolean accepted() {
            return ACCEPTED.equals(result);
        }
    }

    /**
     * Runs face detection, passive liveness, the embedding and the 1:1 comparison on {@code probe}. An
     * undecodable probe is the request's 400 ERROR_REQUEST; a probe without a single usable face is
     * evidence (REJECTED), since it does not show the user.
     */
    public static Evidence analyse(FaceAnalyzer analyzer, byte[] probe, Template reference) {
        DecodedImage image;
        try {
            image = analyzer.decode(probe);
        } catch (InferenceException e) {
            switch (e.code()) {
                case INVALID_IMAGE, IMAGE_TRUNCATED -> throw LcpFailure.request(
                        "Invalid request parameters: livenessRecord.image is neither a JPEG/PNG image nor a capture bundle.");
                case IMAGE_TOO_LARGE -> throw LcpFailure.request("Invalid request parameters: livenessRecord.image dimensions exceed the limit.");
                default -> throw e;
            }
        }
        Face face;
        try {
            face = analyzer.detect(image);
        } catch (InferenceException e) {
            switch (e.code()) {
                case FACE_NOT_FOUND, MULTIPLE_FACES, FACE_TOO_SMALL -> {
                    return Evidence.noFace(e.code().name());
                }
                default -> throw e;
            }
        }
        LivenessResult live = analyzer.liveness(image, face);
        MatchScores scores = analyzer.compare(analyzer.embed(image, face), reference);
        return new Evidence("OK", live.probability(), live.modelScores(), scores.probability(), scores.cosine());
    }

    /** The decision on {@code evidence} and the capture's injection {@code signals} (empty for a plain image). */
    public static Decision decide(Evidence evidence, List<Signal> signals, LcpSettings settings) {
        List<Signal> all = new ArrayList<>(signals);
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("faceStatus", evidence.faceStatus());
        String reason = null;
        if (!"OK".equals(evidence.faceStatus())) {
            reason = "NO_SINGLE_FACE:" + evidence.faceStatus();
        }
        for (Signal signal : signals) {
            if (reason == null && !signal.getPassed()) {
                reason = "INJECTION:" + signal.getName();
            }
        }
        if ("OK".equals(evidence.faceStatus())) {
            evidence.modelScores().forEach((model, score) -> all.add(new Signal("model:" + model, score >= LivenessResult.THRESHOLD,
                    "passive liveness model score", score)));
            boolean live = evidence.liveness() >= settings.livenessThreshold();
            boolean match = evidence.match() >= settings.matchThreshold();
            all.add(new Signal("passive_liveness", live, "combined passive liveness, threshold " + settings.livenessThreshold(), evidence.liveness()));
            all.add(new Signal("face_match", match, "same-person probability against the reference, threshold " + settings.matchThreshold(), evidence.match()));
            figures.put("livenessProbability", format(evidence.liveness()));
            figures.put("matchProbability", format(evidence.match()));
            figures.put("matchCosine", format(evidence.cosine()));
            if (reason == null && !live) {
                reason = "NOT_LIVE";
            }
            if (reason == null && !match) {
                reason = "NO_MATCH";
            }
        }
        figures.put("injectionSignals", Integer.toString(signals.size()));
        String result = reason == null ? ACCEPTED : REJECTED;
        figures.put("reason", reason == null ? "OK" : reason);
        figures.put("result", result);
        return new Decision(result, reason == null ? "OK" : reason, figures, all);
    }

    /**
     * The token style's decision on a challenge outcome: ACCEPTED only when the challenge PASSED (every
     * action found in order on one live face, every injection signal passed), the best frame's passive
     * liveness probability is at least the liveness threshold, and its embedding's calibrated same-person
     * probability against the user's reference is at least the match threshold. Reasons:
     * {@code CHALLENGE:<verdict>:<reason>}, NOT_LIVE, NO_MATCH.
     *
     * @param match the best frame against the reference; null when the challenge did not pass (nothing to match)
     */
    public static Decision decideChallenge(String verdict, String verdictReason, Double passive, MatchScores match, LcpSettings settings) {
        List<Signal> all = new ArrayList<>();
        Map<String, String> figures = new LinkedHashMap<>();
        boolean passed = "PASS".equals(verdict);
        figures.put("challengeVerdict", verdict);
        figures.put("challengeReason", verdictReason);
        all.add(new Signal("challenge", passed, "active-liveness challenge " + verdict + " (" + verdictReason + ")", null));
        String reason = passed ? null : "CHALLENGE:" + verdict + ":" + verdictReason;
        double liveness = passive == null ? Double.NaN : passive;
        if (passive != null) {
            figures.put("livenessProbability", format(liveness));
        }
        boolean live = liveness >= settings.livenessThreshold();
        all.add(new Signal("passive_liveness", live, "best frame's passive liveness, threshold " + settings.livenessThreshold(),
                passive == null ? null : liveness));
        if (reason == null && !live) {
            reason = "NOT_LIVE";
        }
        if (match != null) {
            boolean matched = match.probability() >= settings.matchThreshold();
            all.add(new Signal("face_match", matched, "same-person probability against the reference, threshold " + settings.matchThreshold(),
                    match.probability()));
            figures.put("matchProbability", format(match.probability()));
            figures.put("matchCosine", format(match.cosine()));
            if (reason == null && !matched) {
                reason = "NO_MATCH";
            }
        } else if (reason == null) {
            reason = "NO_MATCH";
        }
        String result = reason == null ? ACCEPTED : REJECTED;
        figures.put("reason", reason == null ? "OK" : reason);
        figures.put("result", result);
        return new Decision(result, reason == null ? "OK" : reason, figures, all);
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
