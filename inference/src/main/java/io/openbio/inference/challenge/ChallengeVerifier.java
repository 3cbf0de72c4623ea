package io.openbio.inference.challenge;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides an active-liveness capture from its per-frame measurements: one face tracked with the
 * same identity and no cuts, each requested action found as a segment, in order, within its time
 * window, with a return to neutral between actions; a static face is SPOOF.
 *
 * <p>Pure logic over {@link FrameMeasurement}s (no model, no clock), thresholds from a
 * {@link ChallengePolicy}. Checks, in this order, the first that applies deciding:
 * <ol>
 *   <li>no frames: FAILED {@value #NO_FRAMES};</li>
 *   <li>a timestamp lower than the previous frame's: SPOOF {@value #FRAMES_OUT_OF_ORDER} (a camera
 *       does not go back in time; frames were reordered);</li>
 *   <li>a face whose embedding cosine to the previous face is below
 *       {@link ChallengePolicy#identityToPreviousMin} or to the first face below
 *       {@link ChallengePolicy#identityToFirstMin}: SPOOF {@value #IDENTITY_SWITCH};</li>
 *   <li>a face box whose centre moves more than {@link ChallengePolicy#cutShiftPer100ms} face widths per
 *       100 ms (at least that much between any two consecutive faces), or whose width changes by more than
 *       {@link ChallengePolicy#cutScaleRatio} between consecutive faces: SPOOF {@value #CUT};</li>
 *   <li>a frame after {@link Challenge#expiresAt}, or a capture longer than the challenge's TTL:
 *       TIMEOUT {@value #EXPIRED};</li>
 *   <li>a frame more than {@link ChallengePolicy#clockSkewMs} before {@link Challenge#issuedAt}: FAILED
 *       {@value #BEFORE_ISSUE} (not SPOOF: a client clock running late explains it as well as a
 *       recording made in advance, which the unpredictable actions defeat anyway);</li>
 *   <li>fewer than {@link ChallengePolicy#minFrames} frames: FAILED {@value #TOO_FEW_FRAMES};</li>
 *   <li>two frames with the same timestamp or more than {@link ChallengePolicy#maxFrameGapMs} apart:
 *       FAILED {@value #NOT_CONTINUOUS};</li>
 *   <li>between the first and the last frame showing a face, a frame with more than one face: FAILED
 *       {@value #MULTIPLE_FACES}; with none: FAILED {@value #FACE_LOST};</li>
 *   <li>every requested action found in order: PASS {@value #ALL_ACTIONS_FOUND};</li>
 *   <li>yaw, pitch, eye, smile and gaze ranges over the whole capture all below the noise levels
 *       ({@code ChallengePolicy.static*}): SPOOF {@value #STATIC_FACE}. A still photo replayed as video,
 *       also with affine jitter or zoom, moves the face box but none of these (roll is left out because
 *       jitter rotates the photo). A live person who does not move at all for the whole capture looks
 *       the same and is called SPOOF too; a new challenge is the remedy;</li>
 *   <li>every requested action performed, but not in the requested order: FAILED {@value #WRONG_ORDER}.
 *       FAILED, not SPOOF: people confuse left and right in front of a mirrored preview, and a capture
 *       in the wrong order earns an attacker nothing (the nonce is single use, a retry gets new actions);
 *       the reason stays in the audit record so repeated wrong orders can be rate-limited;</li>
 *   <li>a head action (or another gaze corner when a corner was asked) performed where the next
 *       requested action was expected: FAILED {@value #UNEXPECTED_ACTION}. This is what defeats a
 *       pre-recorded video performing every action: the requested action is only accepted as the next
 *       deliberate movement;</li>
 *   <li>otherwise FAILED {@value #ACTION_NOT_FOUND}.</li>
 * </ol>
 *
 * <p>Angles are relative to the person's own neutral pose: yaw and pitch minus the pose the person
 * keeps most of the capture (before, between and after the actions; {@link #neutralPose}), provided it is
 * within {@link ChallengePolicy#maxBaselineDeg}. Why: fr_pose reads photos of people facing the camera with
 * offsets of up to about 18 degrees (inference/EVALUATION.md attributes: man_a, a frontal photo, 14 / -18;
 * most photos there pitch -10 to -20), and a camera below or beside the screen adds its own; absolute
 * bands would reject those people before they move. Gaze is taken relative to the person's neutral gaze
 * the same way (the iris measure reads about +0.4 vertically on people looking at the camera, see
 * {@link FrameMeasurement#gazeY}). Evidence peaks and the best frame use the same relative values.
 *
 * <p>Actions. A <em>neutral</em> frame is frontal (|yaw|, |pitch| below the neutral band) and, only for
 * what the challenge asks, eyes open (CLOSE_EYES), not smiling (SMILE), not looking at a corner (a
 * corner): a person smiling in a head-turn challenge still returns to neutral. A score that was not
 * measured (NaN) does not prevent neutrality; an angle that was not measured does. A <em>segment</em> is the run of non-neutral
 * frames between a neutral frame and the next neutral frame (the return); it performs every action
 * whose condition holds on at least {@link ChallengePolicy#minActiveFrames} of its frames. A requested
 * action is found in the first segment after the previous action's return that performs it, provided
 * it starts within {@link ChallengePolicy#actionWindowMs} of that return (no limit for the first action,
 * which the TTL bounds), returns to neutral within the same window of its start, and no segment in
 * between performed a head action (or another corner, for a corner) instead. Segments performing no
 * head action (a blink, a passing smile) are ignored. Every action, the last included, ends with the
 * return to neutral: the capture must run until the person faces the camera again.
 *
 * <p>Conditions: turn left yaw &ge; {@code turnYawDeg} (yaw positive = the person's left), turn right
 * yaw &le; -{@code turnYawDeg}; look up pitch &ge; {@code lookPitchDeg}, down &le; -{@code lookPitchDeg};
 * smile &ge; {@code smileMin} (from a neutral face, smile below {@code smileNeutralMax}); close eyes
 * eyesOpen &lt; {@code eyesClosedMax} (from open, above {@code eyesOpenMin}); a gaze corner, as the
 * person sees the screen (top-left = up and to the person's left): gazeX and gazeY both at least
 * {@code gazeMin} in the corner's direction while |yaw| and |pitch| stay below {@code gazeHeadStillDeg}.
 *
 * <p>Not checked here: replay of frames captured for an earlier challenge. The challenge's nonce is
 * single use and the bundle is bound to it, so a stored capture is refused before it is measured; a
 * capture for the same nonce submitted twice is refused by the nonce store, not by this class.
 *
 * <p>Evidence ({@link ChallengeVerdict#actions}) is filled for every decision: one entry per requested
 * action with the frames and values the action search found. The best frame is the sharpest frame with
 * one face, frontal (|yaw|, |pitch| below the neutral band), eyes open and not smiling; -1 if none.
 */
public final class ChallengeVerifier {
    public static final String ALL_ACTIONS_FOUND = "ALL_ACTIONS_FOUND";
    public static final String NO_FRAMES = "NO_FRAMES";
    public static final String FRAMES_OUT_OF_ORDER = "FRAMES_OUT_OF_ORDER";
    public static final String IDENTITY_SWITCH = "IDENTITY_SWITCH";
    public static final String CUT = "CUT";
    public static final String EXPIRED = "EXPIRED";
    public static final String BEFORE_ISSUE = "BEFORE_ISSUE";
    public static final String TOO_FEW_FRAMES = "TOO_FEW_FRAMES";
    public static final String NOT_CONTINUOUS = "NOT_CONTINUOUS";
    public static final String MULTIPLE_FACES = "MULTIPLE_FACES";
    public static final String FACE_LOST = "FACE_LOST";
    public static final String STATIC_FACE = "STATIC_FACE";
    public static final String WRONG_ORDER = "WRONG_ORDER";
    public static final String UNEXPECTED_ACTION = "UNEXPECTED_ACTION";
    public static final String ACTION_NOT_FOUND = "ACTION_NOT_FOUND";

    private static final Set<ChallengeAction> HEAD = ActionSet.HEAD.actions();

    private final ChallengePolicy policy;

    public ChallengeVerifier() {
        this(ChallengePolicy.DEFAULT);
    }

    public ChallengeVerifier(ChallengePolicy policy) {
        this.policy = policy;
    }

    public ChallengePolicy policy() {
        return policy;
    }

    public ChallengeVerdict verify(Challenge challenge, List<FrameMeasurement> frames) {
        List<FrameMeasurement> all = rebased(List.copyOf(frames));
        List<FrameMeasurement> faced = all.stream().filter(FrameMeasurement::hasFace).toList();
        Search search = search(challenge.actions(), faced);
        int best = bestFrame(all);
        String[] outcome = decide(challenge, all, faced, search);
        return new ChallengeVerdict(ChallengeDecision.valueOf(outcome[0]), outcome[1], search.evidence, best);
    }

    /**
     * The frames with yaw and pitch taken relative to the person's neutral pose (see the class doc), when
     * it lies within {@link ChallengePolicy#maxBaselineDeg}.
     */
    List<FrameMeasurement> rebased(List<FrameMeasurement> frames) {
        double y = neutralPose(frames, FrameMeasurement::yaw, policy.neutralYawDeg());
        double p = neutralPose(frames, FrameMeasurement::pitch, policy.neutralPitchDeg());
        boolean pose = !Double.isNaN(y) && !Double.isNaN(p) && Math.abs(y) <= policy.maxBaselineDeg() && Math.abs(p) <= policy.maxBaselineDeg();
        double by = pose ? y : 0;
        double bp = pose ? p : 0;
        double gx = neutralPose(frames, FrameMeasurement::gazeX, policy.gazeMin());
        double gy = neutralPose(frames, FrameMeasurement::gazeY, policy.gazeMin());
        double bx = Double.isNaN(gx) ? 0 : gx;
        double bz = Double.isNaN(gy) ? 0 : gy;
        return frames.stream().map(m -> new FrameMeasurement(m.index(), m.timestampMs(), m.faceCount(), m.face(), m.yaw() - by,
                m.pitch() - bp, m.roll(), m.eyesOpen(), m.smile(), m.gazeX() - bx, m.gazeY() - bz, m.similarityToPrevious(),
                m.similarityToFirst(), m.sharpness())).toList();
    }

    /**
     * The neutral value of an angle: the median of the values in the window of width {@code band} that holds
     * the most frames (the pose the person keeps between actions; a plain median would drift into the
     * actions when they take most of the capture). Ties go to the window nearest zero. NaN without faces.
     */
    static double neutralPose(List<FrameMeasurement> frames, java.util.function.ToDoubleFunction<FrameMeasurement> q, double band) {
        double[] v = frames.stream().filter(FrameMeasurement::hasFace).mapToDouble(q).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        double best = Double.NaN;
        int bestCount = 0;
        int j = 0;
        for (int i = 0; i < v.length; i++) {
            j = Math.max(j, i);
            while (j + 1 < v.length && v[j + 1] - v[i] < band) {
                j++;
            }
            int count = j - i + 1;
            int mid = i + (j - i) / 2;
            double median = (j - i) % 2 == 0 ? v[mid] : (v[mid] + v[mid + 1]) / 2;
            if (count > bestCount || (count == bestCount && Math.abs(median) < Math.abs(best))) {
                bestCount = count;
                best = median;
            }
        }
        return best;
    }

    private String[] decide(Challenge challenge, List<FrameMeasurement> all, List<FrameMeasurement> faced, Search search) {
        if (all.isEmpty()) {
            return out(ChallengeDecision.FAILED, NO_FRAMES);
        }
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).timestampMs() < all.get(i - 1).timestampMs()) {
                return out(ChallengeDecision.SPOOF, FRAMES_OUT_OF_ORDER);
            }
        }
        for (FrameMeasurement m : faced) {
            if (m.similarityToPrevious() < policy.identityToPreviousMin() || m.similarityToFirst() < policy.identityToFirstMin()) {
                return out(ChallengeDecision.SPOOF, IDENTITY_SWITCH);
            }
        }
        for (int i = 1; i < faced.size(); i++) {
            if (isCut(faced.get(i - 1), faced.get(i))) {
                return out(ChallengeDecision.SPOOF, CUT);
            }
        }
        long first = all.get(0).timestampMs();
        long last = all.get(all.size() - 1).timestampMs();
        if (last > challenge.expiresAt() || last - first > challenge.expiresAt() - challenge.issuedAt()) {
            return out(ChallengeDecision.TIMEOUT, EXPIRED);
        }
        if (first < challenge.issuedAt() - policy.clockSkewMs()) {
            return out(ChallengeDecision.FAILED, BEFORE_ISSUE);
        }
        if (all.size() < policy.minFrames()) {
            return out(ChallengeDecision.FAILED, TOO_FEW_FRAMES);
        }
        for (int i = 1; i < all.size(); i++) {
            long dt = all.get(i).timestampMs() - all.get(i - 1).timestampMs();
            if (dt == 0 || dt > policy.maxFrameGapMs()) {
                return out(ChallengeDecision.FAILED, NOT_CONTINUOUS);
            }
        }
        int from = -1;
        int to = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).faceCount() > 0) {
                to = i;
                if (from < 0) {
                    from = i;
                }
            }
        }
        if (from < 0) {
            return out(ChallengeDecision.FAILED, FACE_LOST);
        }
        boolean lost = false;
        for (int i = from; i <= to; i++) {
            if (all.get(i).faceCount() > 1) {
                return out(ChallengeDecision.FAILED, MULTIPLE_FACES);
            }
            lost |= all.get(i).faceCount() == 0 || !all.get(i).hasFace();
        }
        if (lost) {
            return out(ChallengeDecision.FAILED, FACE_LOST);
        }
        if (search.allFound) {
            return out(ChallengeDecision.PASS, ALL_ACTIONS_FOUND);
        }
        if (isStatic(faced)) {
            return out(ChallengeDecision.SPOOF, STATIC_FACE);
        }
        if (search.wrongOrder) {
            return out(ChallengeDecision.FAILED, WRONG_ORDER);
        }
        if (search.unexpected) {
            return out(ChallengeDecision.FAILED, UNEXPECTED_ACTION);
        }
        return out(ChallengeDecision.FAILED, ACTION_NOT_FOUND);
    }

    private static String[] out(ChallengeDecision d, String reason) {
        return new String[] {d.name(), reason};
    }

    private boolean isCut(FrameMeasurement a, FrameMeasurement b) {
        double w = (a.face().width() + b.face().width()) / 2;
        if (w <= 0) {
            return false;
        }
        double shift = Math.hypot(b.face().centerX() - a.face().centerX(), b.face().centerY() - a.face().centerY()) / w;
        double per100 = Math.max(1.0, (b.timestampMs() - a.timestampMs()) / 100.0);
        double ratio = Math.max(a.face().width(), b.face().width()) / Math.max(1e-9, Math.min(a.face().width(), b.face().width()));
        return shift > policy.cutShiftPer100ms() * per100 || ratio > policy.cutScaleRatio();
    }

    /** whether every measured pose / expression / eye / gaze quantity stays within noise (see class doc). */
    boolean isStatic(List<FrameMeasurement> faced) {
        return range(faced, FrameMeasurement::yaw) < policy.staticPoseRangeDeg()
                && range(faced, FrameMeasurement::pitch) < policy.staticPoseRangeDeg()
                && range(faced, FrameMeasurement::eyesOpen) < policy.staticScoreRange()
                && range(faced, FrameMeasurement::smile) < policy.staticScoreRange()
                && range(faced, FrameMeasurement::gazeX) < policy.staticGazeRange()
                && range(faced, FrameMeasurement::gazeY) < policy.staticGazeRange();
    }

    private static double range(List<FrameMeasurement> fr, java.util.function.ToDoubleFunction<FrameMeasurement> q) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (FrameMeasurement m : fr) {
            double v = q.applyAsDouble(m);
            if (!Double.isNaN(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi < lo ? 0 : hi - lo;
    }

    int bestFrame(List<FrameMeasurement> all) {
        int best = -1;
        double sharpest = Double.NEGATIVE_INFINITY;
        for (FrameMeasurement m : all) {
            if (m.faceCount() != 1 || !m.hasFace() || !frontal(m) || !(eyesOpen(m)) || smiling(m)) {
                continue;
            }
            double s = Double.isNaN(m.sharpness()) ? Double.NEGATIVE_INFINITY : m.sharpness();
            if (best < 0 || s > sharpest) {
                best = m.index();
                sharpest = s;
            }
        }
        return best;
    }

    private boolean frontal(FrameMeasurement m) {
        return Math.abs(m.yaw()) < policy.neutralYawDeg() && Math.abs(m.pitch()) < policy.neutralPitchDeg();
    }

    private boolean eyesOpen(FrameMeasurement m) {
        return Double.isNaN(m.eyesOpen()) || m.eyesOpen() > policy.eyesOpenMin();
    }

    private boolean smiling(FrameMeasurement m) {
        return !Double.isNaN(m.smile()) && m.smile() >= policy.smileNeutralMax();
    }

    /** a neutral frame for a challenge asking every kind of action (see {@link #neutral(FrameMeasurement, Set)}). */
    boolean neutral(FrameMeasurement m) {
        return neutral(m, ActionSet.ALL.actions());
    }

    /**
     * a neutral frame: frontal, and, for what the challenge asks, eyes open (CLOSE_EYES asked), not smiling
     * (SMILE asked), not looking at a corner (a corner asked). Quantities no requested action uses do not
     * matter: a natural blink or a smile must not stop a head turn from counting.
     */
    boolean neutral(FrameMeasurement m, Set<ChallengeAction> requested) {
        if (!m.hasFace() || !frontal(m)) {
            return false;
        }
        if ((requested.contains(ChallengeAction.CLOSE_EYES) && !eyesOpen(m)) || (requested.contains(ChallengeAction.SMILE) && smiling(m))) {
            return false;
        }
        return requested.stream().noneMatch(ChallengeAction::isGaze)
                || !(Math.abs(m.gazeX()) >= policy.gazeMin() && Math.abs(m.gazeY()) >= policy.gazeMin());
    }

    /** whether frame m shows action a (NaN never does). */
    boolean active(ChallengeAction a, FrameMeasurement m) {
        return switch (a) {
            case TURN_LEFT -> m.yaw() >= policy.turnYawDeg();
            case TURN_RIGHT -> m.yaw() <= -policy.turnYawDeg();
            case LOOK_UP -> m.pitch() >= policy.lookPitchDeg();
            case LOOK_DOWN -> m.pitch() <= -policy.lookPitchDeg();
            case SMILE -> m.smile() >= policy.smileMin();
            case CLOSE_EYES -> m.eyesOpen() < policy.eyesClosedMax();
            default -> Math.abs(m.yaw()) < policy.gazeHeadStillDeg() && Math.abs(m.pitch()) < policy.gazeHeadStillDeg()
                    && value(a, m) >= policy.gazeMin();
        };
    }

    /** the quantity judged for a, signed so that larger is "more performed" except for the raw angles. */
    private static double value(ChallengeAction a, FrameMeasurement m) {
        return switch (a) {
            case TURN_LEFT, TURN_RIGHT -> m.yaw();
            case LOOK_UP, LOOK_DOWN -> m.pitch();
            case SMILE -> m.smile();
            case CLOSE_EYES -> m.eyesOpen();
            case GAZE_TOP_LEFT -> Math.min(m.gazeX(), m.gazeY());
            case GAZE_TOP_RIGHT -> Math.min(-m.gazeX(), m.gazeY());
            case GAZE_BOTTOM_LEFT -> Math.min(m.gazeX(), -m.gazeY());
            case GAZE_BOTTOM_RIGHT -> Math.min(-m.gazeX(), -m.gazeY());
        };
    }

    private static boolean lowerIsMore(ChallengeAction a) {
        return a == ChallengeAction.TURN_RIGHT || a == ChallengeAction.LOOK_DOWN || a == ChallengeAction.CLOSE_EYES;
    }

    private static String measure(ChallengeAction a) {
        return switch (a) {
            case TURN_LEFT, TURN_RIGHT -> "yaw";
            case LOOK_UP, LOOK_DOWN -> "pitch";
            case SMILE -> "smile";
            case CLOSE_EYES -> "eyesOpen";
            default -> "gazeX,gazeY";
        };
    }

    double threshold(ChallengeAction a) {
        return switch (a) {
            case TURN_LEFT -> policy.turnYawDeg();
            case TURN_RIGHT -> -policy.turnYawDeg();
            case LOOK_UP -> policy.lookPitchDeg();
            case LOOK_DOWN -> -policy.lookPitchDeg();
            case SMILE -> policy.smileMin();
            case CLOSE_EYES -> policy.eyesClosedMax();
            default -> policy.gazeMin();
        };
    }

    /** the most extreme value of a's quantity over fr[from, to), NaN when none was measured. */
    private static double peak(ChallengeAction a, List<FrameMeasurement> fr, int from, int to) {
        double p = Double.NaN;
        for (int i = Math.max(0, from); i < to; i++) {
            double v = value(a, fr.get(i));
            if (Double.isNaN(v)) {
                continue;
            }
            if (Double.isNaN(p) || (lowerIsMore(a) ? v < p : v > p)) {
                p = v;
            }
        }
        return p;
    }

    /**
     * A run of non-neutral frames after a neutral one. {@code end} is the position of the neutral frame
     * it returns to, -1 if the capture ends first; {@code firstActive} maps each action it performs to
     * the position of its first active frame.
     */
    private record Segment(int start, int end, Map<ChallengeAction, Integer> firstActive) {
    }

    private record Search(List<ActionEvidence> evidence, boolean allFound, boolean wrongOrder, boolean unexpected) {
    }

    private List<Segment> segments(List<FrameMeasurement> fr, Set<ChallengeAction> req) {
        List<Segment> out = new ArrayList<>();
        int p = 0;
        while (p < fr.size() && !neutral(fr.get(p), req)) {
            p++;
        }
        while (p < fr.size()) {
            int s = p + 1;
            while (s < fr.size() && neutral(fr.get(s), req)) {
                s++;
            }
            if (s >= fr.size()) {
                break;
            }
            int e = s;
            while (e < fr.size() && !neutral(fr.get(e), req)) {
                e++;
            }
            Map<ChallengeAction, Integer> first = new EnumMap<>(ChallengeAction.class);
            for (ChallengeAction a : ChallengeAction.values()) {
                int count = 0;
                int at = -1;
                for (int i = s; i < e; i++) {
                    if (active(a, fr.get(i))) {
                        count++;
                        at = at < 0 ? i : at;
                    }
                }
                if (count >= policy.minActiveFrames()) {
                    first.put(a, at);
                }
            }
            if (!first.isEmpty()) {
                out.add(new Segment(s, e < fr.size() ? e : -1, first));
            }
            p = e;
        }
        return out;
    }

    private Search search(List<ChallengeAction> requested, List<FrameMeasurement> fr) {
        Set<ChallengeAction> req = EnumSet.copyOf(requested.isEmpty() ? ActionSet.ALL.actions() : requested);
        List<Segment> segs = segments(fr, req);
        List<ActionEvidence> ev = new ArrayList<>();
        int cursor = 0;
        int searchFrom = 0;
        long prevEnd = Long.MIN_VALUE;
        boolean ok = true;
        boolean unexpected = false;
        String stopped = null;
        for (int i = 0; i < requested.size(); i++) {
            ChallengeAction a = requested.get(i);
            if (!ok) {
                ev.add(new ActionEvidence(a, false, -1, -1, measure(a), peak(a, fr, searchFrom, fr.size()),
                        threshold(a), "not searched: " + stopped));
                continue;
            }
            String note = "not performed after the previous action";
            if (fr.stream().noneMatch(m -> neutral(m, req))) {
                note = "no neutral frame (frontal; eyes open, not smiling, gaze centred where asked) to start from";
            }
            Segment hit = null;
            for (int j = cursor; j < segs.size(); j++) {
                Segment s = segs.get(j);
                if (s.firstActive.containsKey(a)) {
                    hit = s;
                    cursor = j + 1;
                    break;
                }
                ChallengeAction other = interfering(a, s);
                if (other != null) {
                    note = other + " performed instead";
                    unexpected = true;
                    cursor = j;
                    break;
                }
            }
            if (hit != null) {
                int start = hit.firstActive.get(a);
                long startMs = fr.get(start).timestampMs();
                if (hit.end < 0) {
                    note = "no return to neutral";
                    hit = null;
                } else if (i > 0 && startMs - prevEnd > policy.actionWindowMs()) {
                    note = "started " + (startMs - prevEnd) + " ms after the previous action, more than " + policy.actionWindowMs();
                    hit = null;
                } else if (fr.get(hit.end).timestampMs() - startMs > policy.actionWindowMs()) {
                    note = "returned to neutral " + (fr.get(hit.end).timestampMs() - startMs) + " ms after it started, more than "
                            + policy.actionWindowMs();
                    hit = null;
                }
                if (hit == null) {
                    ev.add(new ActionEvidence(a, false, -1, -1, measure(a), peak(a, fr, searchFrom, fr.size()), threshold(a), note));
                } else {
                    ev.add(new ActionEvidence(a, true, fr.get(start).index(), fr.get(hit.end).index(), measure(a),
                            peak(a, fr, hit.start, hit.end), threshold(a), ""));
                    prevEnd = fr.get(hit.end).timestampMs();
                    searchFrom = hit.end;
                    continue;
                }
            } else {
                ev.add(new ActionEvidence(a, false, -1, -1, measure(a), peak(a, fr, searchFrom, fr.size()), threshold(a), note));
            }
            ok = false;
            stopped = a + " not found";
        }
        boolean wrongOrder = false;
        if (!ok) {
            Set<ChallengeAction> performed = EnumSet.noneOf(ChallengeAction.class);
            segs.forEach(s -> performed.addAll(s.firstActive.keySet()));
            wrongOrder = performed.containsAll(requested) && !isSubsequence(requested, segs);
        }
        return new Search(ev, ok, wrongOrder, unexpected);
    }

    /** a head action other than a, or (when a is a corner) another corner, performed in segment s. */
    private static ChallengeAction interfering(ChallengeAction a, Segment s) {
        for (ChallengeAction o : s.firstActive.keySet()) {
            if (o != a && (HEAD.contains(o) || (a.isGaze() && o.isGaze()))) {
                return o;
            }
        }
        return null;
    }

    private static boolean isSubsequence(List<ChallengeAction> requested, List<Segment> segs) {
        int j = 0;
        for (ChallengeAction a : requested) {
            while (j < segs.size() && !segs.get(j).firstActive.containsKey(a)) {
                j++;
            }
            if (j >= segs.size()) {
                return false;
            }
            j++;
        }
        return true;
    }
}
