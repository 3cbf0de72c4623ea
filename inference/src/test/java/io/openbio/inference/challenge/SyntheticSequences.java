package io.openbio.inference.challenge;

import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.testkit.FaceEdits;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * SYNTHETIC challenge captures made from the real test photos, for the evaluation of active liveness
 * (no real videos of people are reachable here). Every frame is a JPEG of a 360 x 360 portrait in which
 * the face box is 150 px wide at the centre, grey beyond 1.5 face boxes (no neighbouring face), timestamped
 * 100 ms apart (10 frames per second). The genuine captures that testkit's {@code GenuineCaptures} makes for
 * wired tests (one face, edits chosen by measurement) are not part of this evaluation.
 *
 * <ul>
 *   <li><b>Genuine</b> (synthetic): head turns and looks up / down made by warping the portrait as a
 *       cylinder around the head (horizontal, resp. vertical, foreshortening: the near side widens, the far
 *       side narrows), ramping out of neutral and back; closing the eyes from a photo of the same man
 *       with his eyes closed (same_man_x3's third face), framed identically. A warped photo is not a
 *       turned head (the outline, ears and lighting stay), so how the models read it is itself measured:
 *       {@link Frames#yaw} / {@link Frames#pitch} carry the applied angles as ground truth.</li>
 *   <li><b>Attacks</b>: a still photo replayed (identical frames); the same with small affine jitter and
 *       zoom to fake motion; an identity switch (person A performs the first action, person B the rest,
 *       framed the same so no cut shows); the requested actions performed in the wrong order; the genuine
 *       frames reversed (with their timestamps, and re-timestamped in the new order); a capture made for an
 *       earlier challenge submitted for a new one.</li>
 * </ul>
 * There are no synthetic smiles or gaze corners: no photo pair here shows one person neutral and
 * smiling, and moving irises convincingly needs more than a warp, so SMILE and GAZE_* are not evaluated
 * on synthetic sequences (the verifier tests cover their logic on measurement series).
 */
public final class SyntheticSequences {
    public static final int SIZE = 360;
    public static final double FACE_WIDTH = 150;
    public static final long STEP_MS = 100;
    /** the warp angles a synthetic turn / look reaches. */
    public static final double TURN_DEG = 35;
    public static final double LOOK_DEG = 25;
    static final long ISSUED = 1_700_000_000_000L;
    static final long TTL_MS = 60_000;

    public enum Kind {
        GENUINE(false), STILL(true), STILL_JITTER(true), IDENTITY_SWITCH(true), WRONG_ORDER(true),
        REVERSED(true), REVERSED_RESTAMPED(true), EARLIER_CHALLENGE(true);

        public final boolean attack;

        Kind(boolean attack) {
            this.attack = attack;
        }
    }

    /** frames with the applied synthetic angles (NaN where none was applied, e.g. the eyes-closed photo). */
    public record Frames(List<TimedFrame> frames, double[] yaw, double[] pitch) {
    }

    /** one synthetic capture, its challenge and what it is. */
    public record Sequence(String name, Kind kind, String identity, Challenge challenge, Frames frames) {
    }

    private SyntheticSequences() {
    }

    // ---------------------------------------------------------------- images

    /** The face's surroundings kept in a portrait, in face boxes (the rest is grey: no neighbouring face). */
    public static final double KEEP = 1.5;

    /**
     * the labelled face framed canonically: face box width {@link #FACE_WIDTH} at the centre; only {@link #KEEP}
     * face boxes around it are kept, the rest (and whatever lies outside the photo) is mid grey, so that a
     * neighbouring face of a group photo is not in the frame.
     */
    public static BufferedImage portrait(BufferedImage photo, BoundingBox box) {
        BufferedImage out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, SIZE, SIZE);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        double s = FACE_WIDTH / box.width();
        double kw = KEEP * box.width() * s;
        double kh = KEEP * box.height() * s;
        g.setClip((int) Math.round(SIZE / 2.0 - kw / 2), (int) Math.round(SIZE / 2.0 - kh / 2), (int) Math.round(kw), (int) Math.round(kh));
        AffineTransform t = new AffineTransform();
        t.translate(SIZE / 2.0, SIZE / 2.0);
        t.scale(s, s);
        t.translate(-box.centerX(), -box.centerY());
        g.drawImage(photo, t, null);
        g.dispose();
        return out;
    }

    private static final java.util.Map<String, BufferedImage> PHOTOS = new java.util.concurrent.ConcurrentHashMap<>();

    /** a test photo as RGB (cached: sequences reuse their photos, callers do not modify them). */
    public static BufferedImage read(String photo) {
        return PHOTOS.computeIfAbsent(photo, SyntheticSequences::load);
    }

    private static BufferedImage load(String photo) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(TestPhotos.bytes(photo)));
            BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The portrait with the head turned by {@code yawDeg} (positive: to the person's left, the face
     * moving towards the image's right) and {@code pitchDeg} (positive: up), the face mapped onto a
     * cylinder of radius 0.62 face widths around the face centre and the cylinder rotated: inside the
     * cylinder's silhouette every output pixel samples the source where the rotated surface point came
     * from (bilinear; past the cylinder's edge, the edge's pixels); outside the silhouette the photo stays.
     */
    public static BufferedImage turned(BufferedImage src, double yawDeg, double pitchDeg) {
        if (yawDeg == 0 && pitchDeg == 0) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        double c = SIZE / 2.0;
        double r = 0.62 * FACE_WIDTH;
        double ty = Math.toRadians(yawDeg);
        double tp = Math.toRadians(pitchDeg);
        int[] in = src.getRGB(0, 0, w, h, null, 0, w);
        int[] mid = new int[w * h];
        // yaw: vertical cylinder, a column at angle phi' shows the surface from phi' - yaw
        for (int x = 0; x < w; x++) {
            double sx = x;
            double u = (x - c) / r;
            if (Math.abs(u) < 1) {
                double phi = Math.asin(u) - ty;
                sx = c + r * Math.sin(Math.max(-Math.PI / 2, Math.min(Math.PI / 2, phi)));
            }
            for (int y = 0; y < h; y++) {
                mid[y * w + x] = FaceEdits.sample(in, w, h, sx, y);
            }
        }
        int[] outPx = new int[w * h];
        // pitch: horizontal cylinder, up = towards smaller y
        for (int y = 0; y < h; y++) {
            double sy = y;
            double v = (c - y) / r;
            if (Math.abs(v) < 1) {
                double psi = Math.asin(v) - tp;
                sy = c - r * Math.sin(Math.max(-Math.PI / 2, Math.min(Math.PI / 2, psi)));
            }
            for (int x = 0; x < w; x++) {
                outPx[y * w + x] = FaceEdits.sample(mid, w, h, x, sy);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, outPx, 0, w);
        return out;
    }


    /** the image moved by (dx, dy) px, rotated by {@code angleDeg} and scaled by {@code scale} about its centre. */
    public static BufferedImage jittered(BufferedImage src, double dx, double dy, double angleDeg, double scale) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform t = new AffineTransform();
        t.translate(src.getWidth() / 2.0 + dx, src.getHeight() / 2.0 + dy);
        t.rotate(Math.toRadians(angleDeg));
        t.scale(scale, scale);
        t.translate(-src.getWidth() / 2.0, -src.getHeight() / 2.0);
        g.drawImage(src, t, null);
        g.dispose();
        return out;
    }

    public static byte[] jpeg(BufferedImage img) {
        return io.openbio.testkit.Jpegs.encode(img, 0.9f);
    }

    // ---------------------------------------------------------------- sequences

    /** the warp angles over time for these actions: 5 neutral frames, then per action ramp 4, hold 3, back 4, neutral 4. */
    static List<double[]> script(List<ChallengeAction> actions) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(new double[] {0, 0, 0});
        }
        for (ChallengeAction a : actions) {
            double[] peak = switch (a) {
                case TURN_LEFT -> new double[] {TURN_DEG, 0, 0};
                case TURN_RIGHT -> new double[] {-TURN_DEG, 0, 0};
                case LOOK_UP -> new double[] {0, LOOK_DEG, 0};
                case LOOK_DOWN -> new double[] {0, -LOOK_DEG, 0};
                case CLOSE_EYES -> new double[] {0, 0, 1};
                default -> throw new IllegalArgumentException("no synthetic " + a);
            };
            double[] ramp = {0.25, 0.5, 0.75, 1, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0, 0, 0, 0};
            for (double f : ramp) {
                // eyes: closed on the peak frames only (a photo, not a blend)
                out.add(new double[] {peak[0] * f, peak[1] * f, peak[2] > 0 && f == 1 ? 1 : 0});
            }
        }
        return out;
    }

    /** frames performing {@code actions} from the portrait (and the eyes-closed portrait when CLOSE_EYES is asked). */
    static Frames perform(BufferedImage portrait, BufferedImage eyesClosed, List<ChallengeAction> actions, long t0) {
        List<double[]> s = script(actions);
        List<TimedFrame> frames = new ArrayList<>();
        double[] yaw = new double[s.size()];
        double[] pitch = new double[s.size()];
        for (int i = 0; i < s.size(); i++) {
            double[] p = s.get(i);
            BufferedImage img = p[2] > 0 ? eyesClosed : turned(portrait, p[0], p[1]);
            frames.add(new TimedFrame(t0 + STEP_MS * i, jpeg(img)));
            yaw[i] = p[2] > 0 ? Double.NaN : p[0];
            pitch[i] = p[2] > 0 ? Double.NaN : p[1];
        }
        return new Frames(frames, yaw, pitch);
    }

    static Frames still(BufferedImage portrait, int n, boolean jitter, long t0, int seed) {
        List<TimedFrame> frames = new ArrayList<>();
        double[] none = new double[n];
        java.util.Arrays.fill(none, Double.NaN);
        byte[] fixed = jpeg(portrait);
        for (int i = 0; i < n; i++) {
            double ph = i * 0.45 + seed;
            frames.add(new TimedFrame(t0 + STEP_MS * i, jitter
                    ? jpeg(jittered(portrait, 5 * Math.sin(ph), 4 * Math.cos(1.3 * ph), 2 * Math.sin(0.7 * ph), 1 + 0.04 * Math.sin(0.5 * ph)))
                    : fixed));
        }
        return new Frames(frames, none, none.clone());
    }

    static Challenge challenge(int i, List<ChallengeAction> actions) {
        return new Challenge("synthetic-" + i, seed(i), actions, ISSUED, ISSUED + TTL_MS);
    }

    static byte[] seed(int i) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("synthetic-challenge-" + i).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * a face usable as a synthetic subject: labelled, not the swap, at least 80 px wide in the photo, and
     * not ab.jpg (a demo picture with landmarks drawn over the face).
     */
    static List<TestPhotos.Label> subjects() {
        List<TestPhotos.Label> usable = TestPhotos.labels().stream().filter(l -> l.box() != null && !l.identity().startsWith("swap")
                && !l.photo().equals("ab.jpg") && l.box().width() >= 80).toList();
        // round robin over the photos, so that the first few subjects (a quick run) come from different photos
        java.util.Map<String, java.util.ArrayDeque<TestPhotos.Label>> byPhoto = new java.util.LinkedHashMap<>();
        usable.forEach(l -> byPhoto.computeIfAbsent(l.photo(), k -> new java.util.ArrayDeque<>()).add(l));
        List<TestPhotos.Label> out = new ArrayList<>();
        while (out.size() < usable.size()) {
            byPhoto.values().forEach(q -> {
                if (!q.isEmpty()) {
                    out.add(q.poll());
                }
            });
        }
        return out;
    }

    /**
     * Every synthetic sequence: per subject one genuine capture of k = 2 head actions (derived from a
     * seed), a still replay, a jittered still replay, the wrong order, the reversed captures and the
     * earlier-challenge replay; per pair of consecutive subjects of different identities an identity
     * switch; the genuine close-eyes captures of example_man.
     */
    public static List<Sequence> all() {
        return all(Integer.MAX_VALUE);
    }

    /** {@link #all()} for the first {@code maxSubjects} subjects only (and the close-eyes captures). */
    public static List<Sequence> all(int maxSubjects) {
        List<Sequence> out = new ArrayList<>();
        List<TestPhotos.Label> subjects = subjects().subList(0, Math.min(maxSubjects, subjects().size()));
        Set<ChallengeAction> head = ActionSet.HEAD.actions();
        for (int i = 0; i < subjects.size(); i++) {
            TestPhotos.Label l = subjects.get(i);
            String name = l.photo() + "#" + l.identity() + "@" + (int) l.box().x();
            BufferedImage p = portrait(read(l.photo()), l.box());
            List<ChallengeAction> acts = ChallengeGenerator.derive(seed(i), 2, head);
            long t0 = ISSUED + 500;
            Challenge c = challenge(i, acts);
            Frames genuine = perform(p, null, acts, t0);
            out.add(new Sequence(name, Kind.GENUINE, l.identity(), c, genuine));
            out.add(new Sequence(name, Kind.STILL, l.identity(), c, still(p, 40, false, t0, i)));
            out.add(new Sequence(name, Kind.STILL_JITTER, l.identity(), c, still(p, 40, true, t0, i)));
            out.add(new Sequence(name, Kind.WRONG_ORDER, l.identity(), c, perform(p, null, List.of(acts.get(1), acts.get(0)), t0)));
            List<TimedFrame> rev = new ArrayList<>(genuine.frames());
            Collections.reverse(rev);
            out.add(new Sequence(name, Kind.REVERSED, l.identity(), c, new Frames(rev, genuine.yaw(), genuine.pitch())));
            List<TimedFrame> restamped = new ArrayList<>();
            for (int k = 0; k < rev.size(); k++) {
                restamped.add(new TimedFrame(t0 + STEP_MS * k, rev.get(k).image()));
            }
            out.add(new Sequence(name, Kind.REVERSED_RESTAMPED, l.identity(), c, new Frames(restamped, genuine.yaw(), genuine.pitch())));
            // the same capture submitted for the next challenge (the nonce store refuses it first; this measures what is left)
            int j = subjects.size() + i;
            out.add(new Sequence(name, Kind.EARLIER_CHALLENGE, l.identity(),
                    challenge(j, ChallengeGenerator.derive(seed(j), 2, head)), genuine));
            TestPhotos.Label other = subjects.get((i + 1) % subjects.size());
            if (!other.identity().equals(l.identity())) {
                BufferedImage q = portrait(read(other.photo()), other.box());
                Frames a = perform(p, null, acts.subList(0, 1), t0);
                List<double[]> s = script(acts.subList(0, 1));
                Frames b = perform(q, null, acts.subList(1, 2), t0 + STEP_MS * s.size());
                List<TimedFrame> f = new ArrayList<>(a.frames());
                f.addAll(b.frames().subList(5, b.frames().size()).stream()
                        .map(x -> new TimedFrame(x.timestampMs() - 5 * STEP_MS, x.image())).toList());
                double[] none = new double[f.size()];
                java.util.Arrays.fill(none, Double.NaN);
                out.add(new Sequence(name + "->" + other.identity(), Kind.IDENTITY_SWITCH, l.identity(), c, new Frames(f, none, none.clone())));
            }
        }
        // close eyes: example_man (same_man_x3) open-eyed faces with the closed-eyes face framed the same
        List<TestPhotos.Label> man = TestPhotos.facesIn("same_man_x3.jpg");
        BufferedImage photo = read("same_man_x3.jpg");
        // the face at x = 456 has its eyes closed (EVALUATION.md attributes: eyes open 0.01 / 0.17), the others open
        TestPhotos.Label closed = man.stream().filter(x -> (int) x.box().x() == 456).findFirst().orElseThrow();
        int n = 1000;
        for (TestPhotos.Label open : man) {
            if (open == closed) {
                continue;
            }
            for (ChallengeAction second : List.of(ChallengeAction.TURN_LEFT, ChallengeAction.LOOK_DOWN)) {
                List<ChallengeAction> acts = List.of(ChallengeAction.CLOSE_EYES, second);
                out.add(new Sequence("same_man_x3.jpg#example_man@" + (int) open.box().x() + " eyes", Kind.GENUINE, "example_man",
                        challenge(n++, acts), perform(portrait(photo, open.box()), portrait(photo, closed.box()), acts, ISSUED + 500)));
            }
        }
        return out;
    }
}
