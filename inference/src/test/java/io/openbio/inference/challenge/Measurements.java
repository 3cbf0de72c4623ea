package io.openbio.inference.challenge;

import io.openbio.inference.detect.BoundingBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Builds SYNTHETIC per-frame measurement series for {@link ChallengeVerifier} tests: a live face with
 * small deterministic noise (micro-movements a real face shows), actions as ramps out of neutral and back,
 * and the attacks (still face, identity switch, cut, ...) by editing the state between frames.
 */
final class Measurements {
    /** the mutable state the next frames are made from. */
    static final class State {
        double yaw;
        double pitch;
        double roll;
        double eyesOpen = 0.95;
        double smile = 0.05;
        double gazeX;
        double gazeY;
        double simPrev = 0.93;
        double simFirst = 0.9;
        double sharpness = 100;
        double cx = 320;
        double cy = 240;
        double w = 160;
        int faceCount = 1;
        /** noise amplitude: 1 = a live face, 0 = a perfectly still one. */
        double noise = 1;
    }

    private final List<FrameMeasurement> out = new ArrayList<>();
    private final State s = new State();
    private final Random random;
    private long t;
    private long step;

    private Measurements(long t0, long stepMs, long seed) {
        this.t = t0;
        this.step = stepMs;
        this.random = new Random(seed);
    }

    /** frames every {@code stepMs} from {@code t0}. */
    static Measurements from(long t0, long stepMs) {
        return new Measurements(t0, stepMs, 42);
    }

    Measurements set(Consumer<State> change) {
        change.accept(s);
        return this;
    }

    Measurements step(long stepMs) {
        this.step = stepMs;
        return this;
    }

    /** shifts the next frame's timestamp by {@code ms} (a gap when positive). */
    Measurements skip(long ms) {
        t += ms;
        return this;
    }

    /** n frames of the current state (with noise). */
    Measurements frames(int n) {
        for (int i = 0; i < n; i++) {
            double k = s.noise;
            boolean face = s.faceCount > 0;
            BoundingBox box = face ? new BoundingBox(s.cx - s.w / 2 + k * g(2), s.cy - s.w * 0.6 + k * g(2), s.w, s.w * 1.2) : null;
            out.add(new FrameMeasurement(out.size(), t, s.faceCount, box,
                    face ? s.yaw + k * g(1.2) : Double.NaN, face ? s.pitch + k * g(1.0) : Double.NaN, face ? s.roll + k * g(1) : Double.NaN,
                    face ? clamp(s.eyesOpen + k * g(0.03)) : Double.NaN, face ? clamp(s.smile + k * g(0.03)) : Double.NaN,
                    face ? s.gazeX + k * g(0.03) : Double.NaN, face ? s.gazeY + k * g(0.03) : Double.NaN,
                    out.isEmpty() || !face ? Double.NaN : s.simPrev, face ? s.simFirst : Double.NaN, s.sharpness + k * g(5)));
            t += step;
        }
        return this;
    }

    /** back to a neutral face and n frames of it. */
    Measurements neutral(int n) {
        s.yaw = 0;
        s.pitch = 0;
        s.eyesOpen = 0.95;
        s.smile = 0.05;
        s.gazeX = 0;
        s.gazeY = 0;
        return frames(n);
    }

    /** action a with the given peak value: ramp out (2 frames), peak (3 frames), ramp back (2 frames), then 3 neutral frames. */
    Measurements perform(ChallengeAction a, double peak) {
        double base = a == ChallengeAction.CLOSE_EYES ? 0.95 : 0;
        for (double f : new double[] {0.35, 0.7}) {
            apply(a, base + (peak - base) * f);
            frames(1);
        }
        apply(a, peak);
        frames(3);
        for (double f : new double[] {0.7, 0.35}) {
            apply(a, base + (peak - base) * f);
            frames(1);
        }
        return neutral(3);
    }

    /** action a performed clearly (well beyond the default thresholds). */
    Measurements perform(ChallengeAction a) {
        return perform(a, clearPeak(a));
    }

    static double clearPeak(ChallengeAction a) {
        return switch (a) {
            case TURN_LEFT, TURN_RIGHT -> 30;
            case LOOK_UP, LOOK_DOWN -> 20;
            case SMILE -> 0.9;
            case CLOSE_EYES -> 0.05;
            default -> 0.5;
        };
    }

    /** sets the state of action a at amplitude v (for CLOSE_EYES v is eyesOpen; for corners |gaze| per axis). */
    private void apply(ChallengeAction a, double v) {
        switch (a) {
            case TURN_LEFT -> s.yaw = v;
            case TURN_RIGHT -> s.yaw = -v;
            case LOOK_UP -> s.pitch = v;
            case LOOK_DOWN -> s.pitch = -v;
            case SMILE -> s.smile = v;
            case CLOSE_EYES -> s.eyesOpen = v;
            case GAZE_TOP_LEFT -> { s.gazeX = v; s.gazeY = v; }
            case GAZE_TOP_RIGHT -> { s.gazeX = -v; s.gazeY = v; }
            case GAZE_BOTTOM_LEFT -> { s.gazeX = v; s.gazeY = -v; }
            case GAZE_BOTTOM_RIGHT -> { s.gazeX = -v; s.gazeY = -v; }
        }
    }

    List<FrameMeasurement> build() {
        return List.copyOf(out);
    }

    /** frames so far, for edits. */
    List<FrameMeasurement> list() {
        return out;
    }

    private double g(double sd) {
        return random.nextGaussian() * sd;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
