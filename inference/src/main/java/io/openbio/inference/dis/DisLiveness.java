package io.openbio.inference.dis;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.challenge.Challenge;
import io.openbio.inference.challenge.ChallengeDecision;
import io.openbio.inference.challenge.ChallengePolicy;
import io.openbio.inference.challenge.ChallengeVerdict;
import io.openbio.inference.challenge.ChallengeVerifier;
import io.openbio.inference.challenge.FrameMeasurement;
import io.openbio.inference.challenge.FrameMeasurer;
import io.openbio.inference.challenge.IrisGaze;
import io.openbio.inference.challenge.TimedFrame;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.liveness.LivenessResult;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Digital Identity Service (seed 004) liveness evaluations ({@code POST /customers/{id}/liveness/evaluation})
 * with the reference's preconditions, on the platform's models. Every score is 0..1; a real integrator rejects
 * below {@link PassiveLivenessScore#REJECT_BELOW} (0.875). What each score is (README, "DIS liveness"):
 *
 * <ul>
 * <li><b>PASSIVE_LIVENESS</b>: the selfies asserted {@code NONE}; none: NOT_ENOUGH_DATA; one without a face:
 * INVALID_DATA. Score = {@link PassiveLivenessScore#score} of the lowest combined passive liveness probability
 * of those selfies (fr_liveness, hm_antispoof, hm_liveness on the largest face).</li>
 * <li><b>SMILE_LIVENESS</b>: at least one NEUTRAL and one SMILE selfie, else NOT_ENOUGH_DATA; never INVALID_DATA
 * (a selfie without a face counts as evidence 0). Score = the minimum of: fr_expression's "happy" probability on
 * every SMILE selfie, 1 - that probability on every NEUTRAL selfie, and the calibrated same-person probability
 * ({@link io.openbio.inference.embed.ScoreCalibration#probability}, the number of {@code DisScores}) of every
 * selfie's face against the first one's: all of them must smile or not as asserted, and be one person.</li>
 * <li><b>EYE_GAZE_LIVENESS</b>: at least {@link #EYE_GAZE_SEGMENTS} selfies asserted {@code EYE_GAZE_*}, else
 * NOT_ENOUGH_DATA; a segment without a face, or eyes found (both eyelids open at least {@link #MIN_EYE_OPENING}
 * of the eye's width, by the iris model) on fewer than 4 segments: INVALID_DATA. Gaze per segment: MediaPipe Iris
 * ({@link io.openbio.inference.challenge.IrisGaze}, relative to the head). The reference point is the
 * midpoint between the segments asserted on one side and those asserted on the other, per axis (the person's own
 * centre, as the verifier takes gaze relative to the person's neutral gaze); a segment matches when its gaze lies
 * at least half of {@code ChallengePolicy.gazeMin} (0.25) from that midpoint towards its asserted corner on both
 * axes (so the two sides differ by at least gazeMin), when it shows the person of the first segment (cosine at
 * least {@code identityToFirstMin}), and, when a challenge was issued, when its assertion is the challenge's
 * corner at its position. Score = matched segments / segments.</li>
 * <li><b>MAGNIFEYE_LIVENESS</b>: the liveness record, which on this platform is a capture bundle (bundle/SPEC.md),
 * opened by the caller; no record: NOT_ENOUGH_DATA (the caller's rule). Its frames are verified as a passive
 * capture ({@link ChallengeVerifier} with no action, as the BioServer's LIVENESS_PASSIVE_VIDEO: continuity,
 * timing, one face, no identity switch, no cut) and the best frame's passive liveness is scored. A verdict ERROR
 * or no face on any frame: INVALID_DATA; a verdict SPOOF / FAILED / TIMEOUT: score 0 (the record does not show
 * one live person captured continuously; the reason is in the details); PASS: {@link PassiveLivenessScore#score}
 * of the best frame. The capture's injection signals are the caller's (they need the bundle's metadata).</li>
 * </ul>
 */
public final class DisLiveness {
    public static final String NOT_ENOUGH_DATA = "NOT_ENOUGH_DATA";
    public static final String INVALID_DATA = "INVALID_DATA";
    /** Eye-gaze segments the reference requires (and on how many the eyes must be found). */
    public static final int EYE_GAZE_SEGMENTS = 4;

    /** The reference's evaluation types. */
    public enum Type { EYE_GAZE_LIVENESS, PASSIVE_LIVENESS, SMILE_LIVENESS, MAGNIFEYE_LIVENESS }

    /** The screen corners of an eye-gaze challenge, as the person sees the screen. */
    public enum Corner {
        TOP_LEFT(1, 1), TOP_RIGHT(-1, 1), BOTTOM_LEFT(1, -1), BOTTOM_RIGHT(-1, -1);

        /** Sign of the gaze in the measurement's axes: gazeX positive = the person's left, gazeY positive = up. */
        final int x;
        final int y;

        Corner(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    /** The reference's liveness-selfie assertions. */
    public enum Assertion {
        EYE_GAZE_TOP_LEFT, EYE_GAZE_TOP_RIGHT, EYE_GAZE_BOTTOM_LEFT, EYE_GAZE_BOTTOM_RIGHT, SMILE, NEUTRAL, NONE;

        /** The corner of an EYE_GAZE_* assertion, null for the others. */
        public Corner corner() {
            return name().startsWith("EYE_GAZE_") ? Corner.valueOf(name().substring("EYE_GAZE_".length())) : null;
        }
    }

    /** One liveness selfie: its assertion and its image (JPEG / PNG bytes). */
    public record Selfie(Assertion assertion, byte[] image) {
    }

    /**
     * An evaluation's answer: a score (0..1) or an errorCode (NOT_ENOUGH_DATA / INVALID_DATA), and the figures
     * behind it (for the audit record and the tests; no biometric data).
     */
    public record Evaluation(Double score, String errorCode, Map<String, String> details) {
        public Evaluation {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        static Evaluation scored(double score, Map<String, String> details) {
            return new Evaluation(Math.max(0, Math.min(1, score)), null, details);
        }

        static Evaluation error(String code, String why) {
            return new Evaluation(null, code, Map.of("reason", why));
        }
    }

    /**
     * A MagnifEye record's evaluation and the frame that stands for it ({@code bestFrame}: the verifier's best
     * frame, else the first frame with a face, else -1), the record's selfie.
     */
    public record RecordEvaluation(Evaluation evaluation, int bestFrame, ChallengeVerdict verdict) {
    }

    /**
     * What a liveness selfie shows ({@code POST liveness/selfies}): the largest face (null: NO_FACE_DETECTED),
     * how many faces (more than one: MULTIPLE_FACES_DETECTED), and LOW_QUALITY when that face is below the
     * platform's measured minimum for liveness ({@link FaceAnalyzer#MIN_INTER_EYE_PX} between the eyes,
     * inference/EVALUATION.md "Face size": below it the passive scores are not accurate).
     */
    public record SelfieCheck(Face face, int faces, boolean lowQuality) {
        public boolean multipleFaces() {
            return faces > 1;
        }
    }

    private final FaceAnalyzer analyzer;
    private final FrameMeasurer measurer;
    private final ChallengePolicy policy;

    public DisLiveness(FaceAnalyzer analyzer, FrameMeasurer measurer) {
        this(analyzer, measurer, ChallengePolicy.DEFAULT);
    }

    public DisLiveness(FaceAnalyzer analyzer, FrameMeasurer measurer, ChallengePolicy policy) {
        this.analyzer = analyzer;
        this.measurer = measurer;
        this.policy = policy;
    }

    /** An eye-gaze challenge: the four corners in an order drawn from {@code random}. */
    public static List<Corner> drawCorners(SecureRandom random) {
        List<Corner> corners = new ArrayList<>(List.of(Corner.values()));
        Collections.shuffle(corners, random);
        return List.copyOf(corners);
    }

    /** @throws io.openbio.inference.InferenceException INVALID_IMAGE and the like for an undecodable image */
    public SelfieCheck check(byte[] image) {
        DecodedImage d = analyzer.decode(image);
        List<Face> faces = analyzer.detectAll(d);
        if (faces.isEmpty()) {
            return new SelfieCheck(null, 0, false);
        }
        Face face = faces.get(0);
        return new SelfieCheck(face, faces.size(), face.interEyeDistance() < FaceAnalyzer.MIN_INTER_EYE_PX);
    }

    // ------------------------------------------------------------------ PASSIVE_LIVENESS

    public Evaluation passive(List<Selfie> selfies) {
        List<Selfie> none = selfies.stream().filter(s -> s.assertion() == Assertion.NONE).toList();
        if (none.isEmpty()) {
            return Evaluation.error(NOT_ENOUGH_DATA, "no liveness selfie with assertion NONE");
        }
        double lowest = Double.POSITIVE_INFINITY;
        Map<String, String> details = new LinkedHashMap<>();
        for (int i = 0; i < none.size(); i++) {
            DecodedImage d = analyzer.decode(none.get(i).image());
            List<Face> faces = analyzer.detectAll(d);
            if (faces.isEmpty()) {
                return Evaluation.error(INVALID_DATA, "no face on liveness selfie " + (i + 1) + " (NONE)");
            }
            LivenessResult r = analyzer.liveness(d, faces.get(0));
            details.put("selfie" + (i + 1) + ".raw", fmt(r.probability()));
            String prefix = "selfie" + (i + 1) + ".";
            r.modelScores().forEach((m, v) -> details.put(prefix + m, fmt(v)));
            lowest = Math.min(lowest, r.probability());
        }
        details.put("raw", fmt(lowest));
        details.put("anchorRaw", fmt(PassiveLivenessScore.ANCHOR_RAW));
        return Evaluation.scored(PassiveLivenessScore.score(lowest), details);
    }

    // ------------------------------------------------------------------ SMILE_LIVENESS

    public Evaluation smile(List<Selfie> selfies) {
        List<Selfie> used = selfies.stream()
                .filter(s -> s.assertion() == Assertion.SMILE || s.assertion() == Assertion.NEUTRAL).toList();
        long smiles = used.stream().filter(s -> s.assertion() == Assertion.SMILE).count();
        if (smiles == 0 || smiles == used.size()) {
            return Evaluation.error(NOT_ENOUGH_DATA, "SMILE_LIVENESS needs at least one NEUTRAL and one SMILE selfie");
        }
        List<FrameMeasurement> m = measure(used);
        double smileEvidence = 1;
        double neutralEvidence = 1;
        double identity = 1;
        Map<String, String> details = new LinkedHashMap<>();
        for (int i = 0; i < used.size(); i++) {
            FrameMeasurement f = m.get(i);
            boolean smile = used.get(i).assertion() == Assertion.SMILE;
            double happy = f.hasFace() && Double.isFinite(f.smile()) ? f.smile() : Double.NaN;
            details.put("selfie" + (i + 1) + "." + used.get(i).assertion().name().toLowerCase(Locale.ROOT) + ".happy", fmt(happy));
            double evidence = Double.isNaN(happy) ? 0 : smile ? happy : 1 - happy;
            if (smile) {
                smileEvidence = Math.min(smileEvidence, evidence);
            } else {
                neutralEvidence = Math.min(neutralEvidence, evidence);
            }
            if (f.hasFace() && i > 0 && Double.isFinite(f.similarityToFirst())) {
                identity = Math.min(identity, analyzer.calibration().probability(f.similarityToFirst()));
            } else if (!f.hasFace()) {
                identity = 0;
            }
        }
        details.put("smile", fmt(smileEvidence));
        details.put("neutral", fmt(neutralEvidence));
        details.put("samePerson", fmt(identity));
        return Evaluation.scored(Math.min(smileEvidence, Math.min(neutralEvidence, identity)), details);
    }

    // ------------------------------------------------------------------ EYE_GAZE_LIVENESS

    /**
     * @param challenge the corners of the customer's challenge, in order; empty when none was issued
     */
    public Evaluation eyeGaze(List<Selfie> selfies, List<Corner> challenge) {
        List<Selfie> segments = selfies.stream().filter(s -> s.assertion().corner() != null).toList();
        if (segments.size() < EYE_GAZE_SEGMENTS) {
            return Evaluation.error(NOT_ENOUGH_DATA, "EYE_GAZE_LIVENESS needs at least " + EYE_GAZE_SEGMENTS
                    + " EYE_GAZE_* segments, " + segments.size() + " given");
        }
        List<GazeMeasure> m = new ArrayList<>(segments.size());
        Template first = null;
        for (Selfie s : segments) {
            DecodedImage d = analyzer.decode(s.image());
            List<Face> faces = analyzer.detectAll(d);
            if (faces.isEmpty()) {
                return Evaluation.error(INVALID_DATA, "no face on eye-gaze segment " + (m.size() + 1));
            }
            Face face = faces.get(0);
            IrisGaze.Gaze g = measurer.gaze(d.image(), face);
            Template t = analyzer.embed(d, face);
            if (first == null) {
                first = t;
            }
            m.add(new GazeMeasure(g.x(), g.y(), Math.min(opening(g.eyes()[0]), opening(g.eyes()[1])), t.similarity(first)));
        }
        int eyes = (int) m.stream().filter(GazeMeasure::eyesFound).count();
        if (eyes < EYE_GAZE_SEGMENTS) {
            StringBuilder open = new StringBuilder();
            m.forEach(f -> open.append(' ').append(fmt(f.opening())));
            return Evaluation.error(INVALID_DATA, "eyes found on " + eyes + " segments, fewer than " + EYE_GAZE_SEGMENTS
                    + " (eyelid opening / eye width:" + open + ")");
        }
        double cx = midpoint(segments, m, true);
        double cy = midpoint(segments, m, false);
        double half = policy.gazeMin() / 2;
        int matched = 0;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("centreX", fmt(cx));
        details.put("centreY", fmt(cy));
        for (int i = 0; i < segments.size(); i++) {
            Corner asserted = segments.get(i).assertion().corner();
            GazeMeasure f = m.get(i);
            double dx = asserted.x * (f.x() - cx);
            double dy = asserted.y * (f.y() - cy);
            boolean gaze = f.eyesFound() && dx >= half && dy >= half;
            boolean person = i == 0 || f.similarityToFirst() >= policy.identityToFirstMin();
            boolean order = challenge.isEmpty() || (i < challenge.size() && challenge.get(i) == asserted);
            boolean ok = gaze && person && order;
            if (ok) {
                matched++;
            }
            details.put("segment" + (i + 1), asserted + " gaze " + fmt(f.x()) + "," + fmt(f.y()) + " opening " + fmt(f.opening())
                    + (ok ? " matched" : " not matched" + (gaze ? "" : " (gaze)") + (person ? "" : " (identity)")
                    + (order ? "" : " (challenge order)")));
        }
        details.put("matched", matched + "/" + segments.size());
        return Evaluation.scored(matched / (double) segments.size(), details);
    }

    /**
     * One eye-gaze segment measured: MediaPipe Iris gaze (x positive = the person's left, y positive = up), the
     * smaller eyelid opening of the two eyes over the eye's width, and the face's cosine to the first segment's.
     */
    private record GazeMeasure(double x, double y, double opening, double similarityToFirst) {
        boolean eyesFound() {
            return Double.isFinite(x) && Double.isFinite(y) && opening >= MIN_EYE_OPENING;
        }
    }

    /**
     * Eyes count as found when the iris model's eyelids are open at least this share of the eye's width (both
     * eyes): the midpoint between what MediaPipe Iris measures on testkit's GenuineCaptures frames (one real face,
     * DisLivenessTest): open eyes looking ahead 0.42, the edited glances at the top corners 0.30 and 0.31, the eyes
     * painted closed 0.18. One face only: a measured split, not an accuracy. fr_eye is not used: it reads the
     * edited glances as closed eyes (0.01).
     */
    static final double MIN_EYE_OPENING = 0.24;

    /** Eyelid opening over eye width of one eye's 76 iris-model points (contour 4 lower middle, 12 upper middle, 0 and 8 corners). */
    static double opening(double[] p) {
        double width = Math.hypot(p[2 * 8] - p[0], p[2 * 8 + 1] - p[1]);
        double open = Math.hypot(p[2 * 4] - p[2 * 12], p[2 * 4 + 1] - p[2 * 12 + 1]);
        return width <= 0 ? 0 : open / width;
    }

    /** The midpoint, on one axis, between the mean gaze of the segments asserted on each side (the mean of all when one side is empty). */
    private double midpoint(List<Selfie> segments, List<GazeMeasure> m, boolean xAxis) {
        double plus = 0;
        double minus = 0;
        double all = 0;
        int np = 0;
        int nm = 0;
        int n = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (!m.get(i).eyesFound()) {
                continue;
            }
            Corner c = segments.get(i).assertion().corner();
            double v = xAxis ? m.get(i).x() : m.get(i).y();
            int sign = xAxis ? c.x : c.y;
            all += v;
            n++;
            if (sign > 0) {
                plus += v;
                np++;
            } else {
                minus += v;
                nm++;
            }
        }
        if (np == 0 || nm == 0) {
            return all / n;
        }
        return (plus / np + minus / nm) / 2;
    }

    // ------------------------------------------------------------------ MAGNIFEYE_LIVENESS

    /** The record's frames (opened from its capture bundle), in capture order, with their capture timestamps. */
    public RecordEvaluation record(List<TimedFrame> frames) {
        if (frames.isEmpty()) {
            return new RecordEvaluation(Evaluation.error(INVALID_DATA, "the record has no frame"), -1, null);
        }
        List<FrameMeasurement> m = measurer.measure(frames);
        Challenge passive = new Challenge("dis-record", new byte[16], List.of(), 0, Long.MAX_VALUE);
        ChallengeVerdict verdict = new ChallengeVerifier(policy).verify(passive, m);
        int best = verdict.bestFrame();
        if (best < 0 || best >= frames.size() || !m.get(best).hasFace()) {
            best = -1;
            for (int i = 0; i < m.size() && best < 0; i++) {
                if (m.get(i).hasFace()) {
                    best = i;
                }
            }
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("decision", verdict.decision().name());
        details.put("reason", verdict.reason());
        details.put("frames", Integer.toString(frames.size()));
        details.put("bestFrame", Integer.toString(best));
        if (verdict.decision() == ChallengeDecision.ERROR) {
            return new RecordEvaluation(new Evaluation(null, INVALID_DATA, details), best, verdict);
        }
        if (best < 0) {
            details.put("reason", "no face on any frame of the record");
            return new RecordEvaluation(new Evaluation(null, INVALID_DATA, details), -1, verdict);
        }
        if (verdict.decision() != ChallengeDecision.PASS) {
            return new RecordEvaluation(Evaluation.scored(0, details), best, verdict);
        }
        DecodedImage d = analyzer.decode(frames.get(best).image());
        var tracked = m.get(best).face();
        Face face = analyzer.detectAll(d).stream()
                .max((a, b) -> Double.compare(a.box().iou(tracked), b.box().iou(tracked))).orElse(null);
        if (face == null) {
            details.put("reason", "the best frame's face is not found again");
            return new RecordEvaluation(Evaluation.scored(0, details), best, verdict);
        }
        LivenessResult r = analyzer.liveness(d, face);
        details.put("raw", fmt(r.probability()));
        r.modelScores().forEach((k, v) -> details.put(k, fmt(v)));
        return new RecordEvaluation(Evaluation.scored(PassiveLivenessScore.score(r.probability()), details), best, verdict);
    }

    private List<FrameMeasurement> measure(List<Selfie> selfies) {
        List<TimedFrame> frames = new ArrayList<>(selfies.size());
        for (int i = 0; i < selfies.size(); i++) {
            frames.add(new TimedFrame(i * 1000L, selfies.get(i).image()));
        }
        return measurer.measure(frames);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "NaN";
    }
}
