package io.openbio.inference.challenge;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.OpenCv;
import io.openbio.testkit.GenuineCaptures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SYNTHETIC genuine captures of testkit's {@link GenuineCaptures} (one real photo edited so that the
 * models read each action) pass {@link ChallengeVerifier} with the real models, for every action they
 * perform alone and for every ordered pair of actions of one kind (head, gaze), and their best frame's
 * passive liveness is at least the stage's 0.5: what the wired tests rely on to drive a PASS through the
 * pipeline. Prints every frame's measurements (EVAL lines) for inference/EVALUATION.md.
 */
class GenuineChallengeCapturesTest {
    static final long T0 = 1_700_000_000_000L;
    private static FaceAnalyzer analyzer;
    private static FrameMeasurer measurer;
    private static final ChallengeVerifier VERIFIER = new ChallengeVerifier();

    @BeforeAll
    static void load() {
        OpenCv.load();
        analyzer = Shared.analyzer();
        measurer = new FrameMeasurer(analyzer);
    }

    @AfterAll
    static void close() {
        measurer.close();
    }

    record Run(ChallengeVerdict verdict, List<FrameMeasurement> measured, double passive) {
    }

    static Run run(List<ChallengeAction> actions) {
        List<byte[]> jpegs = GenuineCaptures.frames(actions.stream().map(Enum::name).toList());
        List<TimedFrame> frames = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            frames.add(new TimedFrame(T0 + i * GenuineCaptures.FRAME_MS, jpegs.get(i)));
        }
        List<FrameMeasurement> measured = measurer.measure(frames);
        ChallengeVerdict v = VERIFIER.verify(new Challenge("genuine", new byte[16], actions, T0 - 100, T0 + 120_000), measured);
        double passive = Double.NaN;
        if (v.bestFrame() >= 0) {
            DecodedImage d = analyzer.decode(jpegs.get(v.bestFrame()));
            Face f = analyzer.detectAll(d).stream().max(Comparator.comparingDouble(x -> x.box().iou(measured.get(v.bestFrame()).face())))
                    .orElseThrow();
            passive = analyzer.liveness(d, f).probability();
        }
        StringBuilder b = new StringBuilder();
        for (FrameMeasurement m : measured) {
            b.append(String.format(Locale.ROOT, "%n  frame %d faces %d yaw %.1f pitch %.1f eyes %.2f smile %.2f gaze %.2f %.2f sim %.2f",
                    m.index(), m.faceCount(), m.yaw(), m.pitch(), m.eyesOpen(), m.smile(), m.gazeX(), m.gazeY(), m.similarityToPrevious()));
        }
        System.out.printf(Locale.ROOT, "EVAL genuine %s: %s %s best %d passive %.2f evidence %s%s%n", actions, v.decision(), v.reason(),
                v.bestFrame(), passive, v.actions().stream().map(e -> e.action() + (e.found() ? " found " : " NOT found ")
                        + String.format(Locale.ROOT, "%.2f", e.peak()) + (e.note().isEmpty() ? "" : " (" + e.note() + ")")).toList(), b);
        return new Run(v, measured, passive);
    }

    static void assertPasses(List<ChallengeAction> actions) {
        Run r = run(actions);
        assertThat(r.verdict().decision()).as(actions + ": " + r.verdict()).isEqualTo(ChallengeDecision.PASS);
        assertThat(r.passive()).as("passive liveness of the best frame").isGreaterThanOrEqualTo(0.5);
        assertThat(r.measured()).allMatch(m -> m.faceCount() == 1);
    }

    static List<ChallengeAction> performable() {
        return GenuineCaptures.PERFORMABLE.stream().map(ChallengeAction::valueOf).sorted().toList();
    }

    @Test
    void everyPerformableActionAlonePasses() {
        for (ChallengeAction a : performable()) {
            assertPasses(List.of(a));
        }
    }

    @Test
    void everyOrderedPairOfHeadActionsPasses() {
        for (ChallengeAction a : ActionSet.HEAD.actions()) {
            for (ChallengeAction b : ActionSet.HEAD.actions()) {
                if (a != b) {
                    assertPasses(List.of(a, b));
                }
            }
        }
    }

    @Test
    void gazePairsAndMixedChallengesPass() {
        assertPasses(List.of(ChallengeAction.GAZE_TOP_LEFT, ChallengeAction.GAZE_TOP_RIGHT));
        assertPasses(List.of(ChallengeAction.GAZE_TOP_RIGHT, ChallengeAction.GAZE_TOP_LEFT));
        assertPasses(List.of(ChallengeAction.TURN_LEFT, ChallengeAction.SMILE, ChallengeAction.CLOSE_EYES));
        assertPasses(List.of(ChallengeAction.CLOSE_EYES, ChallengeAction.LOOK_DOWN, ChallengeAction.SMILE));
    }

    @Test
    void theBottomCornersAreNotPerformed() {
        assertThat(GenuineCaptures.PERFORMABLE).doesNotContain("GAZE_BOTTOM_LEFT", "GAZE_BOTTOM_RIGHT");
        assertThat(performable()).hasSize(8);
    }
}
