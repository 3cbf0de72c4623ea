package io.openbio.inference.challenge;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.embed.Interval;
import io.openbio.inference.model.ModelRepository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Evaluation of active liveness: measures the {@link SyntheticSequences} with {@link FrameMeasurer} (the
 * real models), verifies them with {@link ChallengeVerifier} at {@link ChallengePolicy#DEFAULT}, and writes
 * the section {@value #SECTION} of inference/EVALUATION.md (replacing it, leaving the rest of the file).
 *
 * <pre>
 * mvn -B -pl inference -am -Pevaluate -Deval.challengeOnly=true verify          # this section only
 * mvn -B -pl inference -am -Pevaluate -Deval.challengeOnly=true -Dchallenge.dir=/path/to/captures verify
 * </pre>
 * With {@code -Dchallenge.dir}, it evaluates a user's own recorded captures instead and prints the verdicts
 * (EVALUATION.md untouched): one sub-folder per capture holding {@code actions.txt} (the requested actions,
 * one per line, e.g. {@code TURN_LEFT}) and the frames, named by their capture timestamp in ms
 * ({@code 1733130000123.jpg}, JPEG or PNG).
 */
public final class ChallengeEvaluation {
    static final String SECTION = "## Active liveness: challenge verification";

    private ChallengeEvaluation() {
    }

    record Result(SyntheticSequences.Sequence seq, List<FrameMeasurement> measured, ChallengeVerdict verdict, long ms) {
    }

    public static void main(String[] args) throws Exception {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        Locale.setDefault(Locale.ROOT);
        ModelRepository repo = ModelRepository.fromEnvironment();
        ChallengeVerifier verifier = new ChallengeVerifier();
        String own = System.getProperty("challenge.dir", "");
        try (FaceAnalyzer fa = FaceAnalyzer.create(repo, new Properties(), FaceAnalyzer.MIN_INTER_EYE_PX);
             FrameMeasurer measurer = new FrameMeasurer(fa)) {
            if (!own.isBlank()) {
                System.out.println(own(Path.of(own), measurer, verifier));
                return;
            }
            List<Result> results = new ArrayList<>();
            // the earlier-challenge captures are their genuine capture's frames: measured once
            java.util.Map<SyntheticSequences.Frames, List<FrameMeasurement>> measured = new java.util.IdentityHashMap<>();
            for (SyntheticSequences.Sequence s : SyntheticSequences.all(Integer.getInteger("eval.challengeSubjects", Integer.MAX_VALUE))) {
                long t = System.nanoTime();
                boolean again = measured.containsKey(s.frames());
                List<FrameMeasurement> m = measured.computeIfAbsent(s.frames(), f -> measurer.measure(f.frames()));
                long ms = again ? 0 : (System.nanoTime() - t) / 1_000_000;
                System.err.printf("%s %s: %d frames, %d ms%n", s.kind(), s.name(), m.size(), ms);
                results.add(new Result(s, m, verifier.verify(s.challenge(), m), ms));
            }
            String md = markdown(results);
            Path file = module.resolve("EVALUATION.md");
            String old = Files.exists(file) ? Files.readString(file) : "";
            Files.writeString(file, replaceSection(old, md));
            System.out.println(md);
        }
    }

    /** {@code doc} with its {@link #SECTION} (up to the next level-2 heading) replaced by {@code section}, or appended. */
    static String replaceSection(String doc, String section) {
        int at = doc.indexOf(SECTION);
        if (at < 0) {
            return doc.isEmpty() || doc.endsWith("\n\n") ? doc + section : doc.stripTrailing() + "\n\n" + section;
        }
        int next = doc.indexOf("\n## ", at + SECTION.length());
        return doc.substring(0, at) + section + (next < 0 ? "" : doc.substring(next + 1));
    }

    static String own(Path dir, FrameMeasurer measurer, ChallengeVerifier verifier) throws IOException {
        StringBuilder out = new StringBuilder();
        List<Path> captures;
        try (Stream<Path> s = Files.list(dir)) {
            captures = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path c : captures) {
            List<ChallengeAction> actions = Files.readAllLines(c.resolve("actions.txt")).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(ChallengeAction::valueOf).toList();
            List<TimedFrame> frames = new ArrayList<>();
            try (Stream<Path> s = Files.list(c)) {
                for (Path f : s.filter(p -> p.getFileName().toString().matches("\\d+\\.(jpg|jpeg|png)")).toList()) {
                    String n = f.getFileName().toString();
                    frames.add(new TimedFrame(Long.parseLong(n.substring(0, n.indexOf('.'))), Files.readAllBytes(f)));
                }
            }
            frames.sort((a, b) -> Long.compare(a.timestampMs(), b.timestampMs()));
            if (frames.isEmpty()) {
                out.append(c.getFileName()).append(": no frames\n");
                continue;
            }
            long t0 = frames.get(0).timestampMs();
            // the user's capture carries no issue time: the window is the capture itself plus the default TTL
            Challenge ch = new Challenge(c.getFileName().toString(), new byte[32], actions, t0, t0 + 10 * 60_000);
            ChallengeVerdict v = verifier.verify(ch, measurer.measure(frames));
            out.append(String.format("%s: %s %s (%d frames, best frame %d)%n", c.getFileName(), v.decision(), v.reason(),
                    frames.size(), v.bestFrame()));
            for (ActionEvidence e : v.actions()) {
                out.append(String.format("  %s found=%s frames %d-%d %s peak %.3f threshold %.3f %s%n", e.action(), e.found(),
                        e.startFrame(), e.endFrame(), e.measure(), e.peak(), e.threshold(), e.note()));
            }
        }
        return out.toString();
    }

    static String markdown(List<Result> results) {
        ChallengePolicy p = ChallengePolicy.DEFAULT;
        StringBuilder md = new StringBuilder(SECTION).append("\n\n");
        long subjects = results.stream().filter(r -> r.seq.kind() == SyntheticSequences.Kind.GENUINE)
                .map(r -> r.seq.name().replace(" eyes", "")).distinct().count();
        long frames = results.stream().filter(r -> r.ms > 0).mapToLong(r -> r.measured.size()).sum();
        long ms = results.stream().mapToLong(Result::ms).sum();
        md.append("Generated by `mvn -B -pl inference -am -Pevaluate -Deval.challengeOnly=true verify` (class ")
          .append("`io.openbio.inference.challenge.ChallengeEvaluation`): every capture is measured by `FrameMeasurer` ")
          .append("(the real models) and decided by `ChallengeVerifier` with `ChallengePolicy.DEFAULT` (turn ")
          .append(String.format("%.0f deg, look %.0f deg, neutral band %.0f / %.0f deg, smile %.2f from < %.2f, eyes closed < %.2f, open > %.2f, ",
                  p.turnYawDeg(), p.lookPitchDeg(), p.neutralYawDeg(), p.neutralPitchDeg(), p.smileMin(), p.smileNeutralMax(),
                  p.eyesClosedMax(), p.eyesOpenMin()))
          .append(String.format("gaze %.2f, action window %d ms, frame gap %d ms, identity %.2f / %.2f, cut %.2f face widths per 100 ms, ",
                  p.gazeMin(), p.actionWindowMs(), p.maxFrameGapMs(), p.identityToPreviousMin(), p.identityToFirstMin(), p.cutShiftPer100ms()))
          .append(String.format("static below %.0f deg / %.2f / %.2f).%n%n", p.staticPoseRangeDeg(), p.staticScoreRange(), p.staticGazeRange()));
        md.append("**Every capture here is SYNTHETIC**, made by `SyntheticSequences` from the real test photos ")
          .append(String.format("(%d faces at least 80 px wide, ab.jpg left out for its drawn landmarks), 10 frames per second, ", subjects))
          .append("360 x 360 JPEG with the face 150 px wide and everything beyond 1.5 face boxes grey. The genuine captures are photos warped as a cylinder to fake ")
          .append(String.format("head turns (%.0f deg) and looks up / down (%.0f deg), and, for closing the eyes, one man's open-eyed and ",
                  SyntheticSequences.TURN_DEG, SyntheticSequences.LOOK_DEG))
          .append("closed-eyed photos framed alike (same_man_x3). **No real video of a person was available: acceptance of real ")
          .append("people in front of a real camera (BPCER on live captures) has not been measured**, nor have smiles or gaze ")
          .append("corners here (no neutral/smiling pair of one person; the edited smiles and irises of the tests' ")
          .append("`GenuineCaptures`, one face tuned on the models, are in their own section below, not in these rates); their logic is ")
          .append("tested on measurement series (`ChallengeVerifierTest`). The attack captures are synthetic too. ")
          .append("A synthetic genuine capture is also exactly what an attacker animating a photo with such a warp would ")
          .append("present: where it passes, the verifier does not tell a warped photo from a turning head, and only the ")
          .append("passive score of the best frame and the capture's injection signals stand against that attack.\n\n");
        md.append(String.format("%d captures, %d frames, measured in %.1f s (%.1f ms per frame, one thread).%n%n",
                results.size(), frames, ms / 1000.0, frames == 0 ? 0 : (double) ms / frames));
        md.append("APCER = attacks decided PASS; BPCER = synthetic genuine captures not decided PASS (95% Clopper-Pearson ")
          .append("intervals). Replay of a capture made for an earlier challenge is refused by the single-use nonce before ")
          .append("it is measured; the row below measures what is left when that control is bypassed (the chance that the ")
          .append("new challenge's actions allow the old performance).\n\n");
        md.append("| capture | n | PASS rate (APCER for attacks, 1 - BPCER for genuine) | decisions | reasons |\n|---|---|---|---|---|\n");
        for (SyntheticSequences.Kind k : SyntheticSequences.Kind.values()) {
            List<Result> rs = results.stream().filter(r -> r.seq.kind() == k).toList();
            if (rs.isEmpty()) {
                continue;
            }
            long pass = rs.stream().filter(r -> r.verdict.decision() == ChallengeDecision.PASS).count();
            md.append(String.format("| %s%s | %d | %s | %s | %s |%n", k.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    k.attack ? "" : " (synthetic)", rs.size(), Interval.describe(pass, rs.size()),
                    histogram(rs, r -> r.verdict.decision().name()), histogram(rs, r -> r.verdict.reason())));
        }
        List<Result> genuine = results.stream().filter(r -> !r.seq.kind().attack).toList();
        long rejected = genuine.stream().filter(r -> r.verdict.decision() != ChallengeDecision.PASS).count();
        md.append(String.format("%nBPCER on the synthetic genuine captures: %s.%n%n", Interval.describe(rejected, genuine.size())));
        md.append("Actions found in the synthetic genuine captures (the verifier's evidence):\n\n| action | requested | found | notes when not found |\n|---|---|---|---|\n");
        Map<ChallengeAction, long[]> found = new EnumMap<>(ChallengeAction.class);
        Map<ChallengeAction, Map<String, Integer>> notes = new EnumMap<>(ChallengeAction.class);
        for (Result r : genuine) {
            for (ActionEvidence e : r.verdict.actions()) {
                long[] c = found.computeIfAbsent(e.action(), a -> new long[2]);
                c[0]++;
                if (e.found()) {
                    c[1]++;
                } else {
                    notes.computeIfAbsent(e.action(), a -> new TreeMap<>()).merge(e.note().replaceAll("\\d+ ms", "N ms"), 1, Integer::sum);
                }
            }
        }
        found.forEach((a, c) -> md.append(String.format("| %s | %d | %d | %s |%n", a, c[0], c[1],
                notes.getOrDefault(a, Map.of()).toString().replace("|", "/"))));
        md.append('\n').append(accuracy(genuine)).append(staticNoise(results));
        md.append("Per genuine capture (decision, reason, per action: found, peak / threshold):\n\n| capture | actions | decision | evidence |\n|---|---|---|---|\n");
        for (Result r : genuine) {
            StringBuilder ev = new StringBuilder();
            for (ActionEvidence e : r.verdict.actions()) {
                ev.append(String.format("%s %s %.2f/%.2f; ", e.action(), e.found() ? "found" : "NOT found", e.peak(), e.threshold()));
            }
            md.append(String.format("| %s | %s | %s %s | %s |%n", r.seq.name(), r.seq.challenge().actions(), r.verdict.decision(),
                    r.verdict.reason(), ev.toString().strip()));
        }
        md.append("\nEvaluate your own recorded captures: `mvn -B -pl inference -am -Pevaluate -Deval.challengeOnly=true ")
          .append("-Dchallenge.dir=/path/to/captures verify` (one folder per capture: `actions.txt` with one action per line, ")
          .append("frames named `<timestamp ms>.jpg`); the verdicts and evidence are printed, this file is left alone.\n\n");
        return md.toString();
    }

    /** measured yaw / pitch change against the applied warp angle (relative to the capture's unwarped frames). */
    static String accuracy(List<Result> genuine) {
        StringBuilder md = new StringBuilder("Per-frame measurement where the synthetic truth is known (fr_pose on warped frames; ")
                .append("measured change from the capture's unwarped frames, median, against the applied warp angle):\n\n")
                .append("| quantity | applied deg | frames | measured change: mean | min | max |\n|---|---|---|---|---|---|\n");
        for (int axis = 0; axis < 2; axis++) {
            Map<Long, List<Double>> byAngle = new TreeMap<>();
            for (Result r : genuine) {
                double[] applied = axis == 0 ? r.seq.frames().yaw() : r.seq.frames().pitch();
                double[] other = axis == 0 ? r.seq.frames().pitch() : r.seq.frames().yaw();
                List<Double> base = new ArrayList<>();
                for (int i = 0; i < applied.length; i++) {
                    double v = axis == 0 ? r.measured.get(i).yaw() : r.measured.get(i).pitch();
                    if (applied[i] == 0 && other[i] == 0 && !Double.isNaN(v)) {
                        base.add(v);
                    }
                }
                if (base.isEmpty()) {
                    continue;
                }
                base.sort(null);
                double b = base.get(base.size() / 2);
                for (int i = 0; i < applied.length; i++) {
                    double v = axis == 0 ? r.measured.get(i).yaw() : r.measured.get(i).pitch();
                    if (!Double.isNaN(applied[i]) && applied[i] != 0 && other[i] == 0 && !Double.isNaN(v)) {
                        byAngle.computeIfAbsent(Math.round(applied[i] * 100), k -> new ArrayList<>()).add(v - b);
                    }
                }
            }
            for (Map.Entry<Long, List<Double>> e : byAngle.entrySet()) {
                List<Double> v = e.getValue();
                md.append(String.format("| %s | %.2f | %d | %.1f | %.1f | %.1f |%n", axis == 0 ? "yaw" : "pitch", e.getKey() / 100.0, v.size(),
                        v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                        v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                        v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
            }
        }
        List<Double> closed = new ArrayList<>();
        List<Double> open = new ArrayList<>();
        for (Result r : genuine) {
            for (int i = 0; i < r.measured.size(); i++) {
                double e = r.measured.get(i).eyesOpen();
                if (Double.isNaN(e)) {
                    continue;
                }
                (Double.isNaN(r.seq.frames().yaw()[i]) ? closed : open).add(e);
            }
        }
        md.append(String.format("%neyesOpen (fr_eye, min of both eyes): on the closed-eyes photo frames mean %.3f (n %d); on all other genuine frames mean %.3f (n %d), share above %.2f: %.3f.%n%n",
                closed.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), closed.size(),
                open.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), open.size(),
                ChallengePolicy.DEFAULT.eyesOpenMin(), open.isEmpty() ? Double.NaN
                        : open.stream().filter(x -> x > ChallengePolicy.DEFAULT.eyesOpenMin()).count() / (double) open.size()));
        return md.toString();
    }

    /** the ranges the still replays produce: what "measurement noise" is for the static-face rule. */
    static String staticNoise(List<Result> results) {
        StringBuilder md = new StringBuilder("Ranges (max - min over a capture) on the still replays, the noise the static-face rule ")
                .append("must sit above (median / max over captures):\n\n| capture | yaw | pitch | eyesOpen | smile | gazeX | gazeY | face box centre shift, face widths (max per frame) |\n|---|---|---|---|---|---|---|---|\n");
        for (SyntheticSequences.Kind k : List.of(SyntheticSequences.Kind.STILL, SyntheticSequences.Kind.STILL_JITTER)) {
            List<double[]> ranges = new ArrayList<>();
            for (Result r : results) {
                if (r.seq.kind() != k) {
                    continue;
                }
                List<FrameMeasurement> f = r.measured.stream().filter(FrameMeasurement::hasFace).toList();
                double shift = 0;
                for (int i = 1; i < f.size(); i++) {
                    shift = Math.max(shift, Math.hypot(f.get(i).face().centerX() - f.get(i - 1).face().centerX(),
                            f.get(i).face().centerY() - f.get(i - 1).face().centerY()) / f.get(i).face().width());
                }
                ranges.add(new double[] {range(f, 0), range(f, 1), range(f, 2), range(f, 3), range(f, 4), range(f, 5), shift});
            }
            md.append("| ").append(k.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            for (int q = 0; q < 7; q++) {
                final int qq = q;
                List<Double> v = ranges.stream().map(x -> x[qq]).filter(x -> !Double.isNaN(x)).sorted().toList();
                md.append(v.isEmpty() ? " | -" : String.format(" | %.2f / %.2f", v.get(v.size() / 2), v.get(v.size() - 1)));
            }
            md.append(" |\n");
        }
        return md.append('\n').toString();
    }

    private static double range(List<FrameMeasurement> f, int q) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (FrameMeasurement m : f) {
            double v = switch (q) {
                case 0 -> m.yaw();
                case 1 -> m.pitch();
                case 2 -> m.eyesOpen();
                case 3 -> m.smile();
                case 4 -> m.gazeX();
                default -> m.gazeY();
            };
            if (!Double.isNaN(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi < lo ? Double.NaN : hi - lo;
    }

    private static String histogram(List<Result> rs, java.util.function.Function<Result, String> key) {
        Map<String, Integer> h = new TreeMap<>();
        rs.forEach(r -> h.merge(key.apply(r), 1, Integer::sum));
        StringBuilder s = new StringBuilder();
        h.forEach((k, v) -> s.append(k).append(' ').append(v).append(", "));
        return s.length() == 0 ? "-" : s.substring(0, s.length() - 2);
    }
}
