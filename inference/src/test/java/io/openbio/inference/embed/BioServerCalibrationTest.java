package io.openbio.inference.embed;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.image.DecodedImage;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The BioServer (seed 003) score and FAR: measured up to the anchor, the fitted exponential tail beyond it. */
class BioServerCalibrationTest {
    private final FaceAnalyzer fa = Shared.analyzer();
    private final ScoreCalibration c = fa.calibration();

    @Test
    void farIsNonIncreasingAndTheScoreNonDecreasingOverEveryCosine() {
        double prevFar = 2;
        double prevScore = 0;
        for (int i = -1000; i <= 1000; i++) {
            BioServerMatch m = c.bioServer(i / 1000.0);
            assertThat(m.falseAcceptanceRate()).isLessThanOrEqualTo(prevFar * 100).isBetween(1e-15, 100.0);
            assertThat(m.score()).isGreaterThanOrEqualTo(prevScore).isBetween(1500.0, 10000.0);
            // the seed's formula links the two fields exactly: FAR% = 10^(5 - score / 500)
            assertThat(Math.log10(m.falseAcceptanceRate())).isCloseTo(5 - m.score() / 500, within(1e-9));
            prevFar = m.falseAcceptance();
            prevScore = m.score();
        }
    }

    @Test
    void measuredShareUpToTheAnchorThenTheTailContinuously() {
        double a = c.anchorCosine();
        assertThat(c.anchorFar()).isGreaterThanOrEqualTo(c.farResolution());
        // below and at the anchor: the observed share of impostor pairs, not extrapolated
        for (double s = -0.5; s <= a; s += 0.01) {
            BioServerMatch m = c.bioServer(s);
            assertThat(m.extrapolated()).isFalse();
            assertThat(m.falseAcceptance()).isCloseTo(Math.max(1e-17, c.observedShare(s)), within(1e-12));
        }
        BioServerMatch at = c.bioServer(a);
        BioServerMatch above = c.bioServer(Math.nextUp(a));
        assertThat(at.extrapolated()).isFalse();
        assertThat(above.extrapolated()).isTrue();
        assertThat(at.falseAcceptance()).isEqualTo(c.anchorFar());
        assertThat(above.falseAcceptance()).isCloseTo(c.anchorFar(), within(1e-12)).isLessThan(c.anchorFar());
        // just above the anchor the observed share is already below the resolution: that is why the tail takes over
        assertThat(c.observedShare(Math.nextUp(a))).isLessThan(c.farResolution());
        assertThat(c.bioServer(a + 0.1).falseAcceptance())
                .isCloseTo(c.anchorFar() * Math.exp(-0.1 / c.tail().scale()), within(1e-15));
    }

    @Test
    void seedThresholdsMapBackExactlyAndSayWhetherTheyAreExtrapolated() {
        for (int score = 2500; score <= 4500; score += 500) {
            double far = ScoreCalibration.farForBioServerScore(score);
            double cos = c.cosineForBioServerFar(far);
            BioServerMatch m = c.bioServer(cos);
            assertThat(m.falseAcceptance()).isLessThanOrEqualTo(far * (1 + 1e-9));
            assertThat(c.isExtrapolatedBioServerScore(score)).isEqualTo(far < c.anchorFar());
            if (c.isExtrapolatedBioServerScore(score)) {
                assertThat(m.score()).isCloseTo(score, within(1e-6));
                assertThat(m.extrapolated()).isTrue();
                assertThat(c.bioServer(cos - 1e-6).score()).isLessThan(score);
            } else {
                // measured: the threshold is an impostor cosine, accepting at or above it gives at most that FAR
                assertThat(c.impostorsAtOrAbove(cos)).isLessThanOrEqualTo((int) Math.floor(far * c.impostorPairs() + 1e-9));
            }
        }
        // with 732 impostor pairs the 1% point is measured, 0.01% and finer are not
        assertThat(c.isExtrapolatedBioServerScore(2500)).isFalse();
        assertThat(c.isExtrapolatedBioServerScore(3500)).isTrue();
    }

    @Test
    void floorAndCapAreTheSeeds() {
        BioServerMatch low = c.bioServer(-1.0);
        assertThat(low.score()).isEqualTo(1500.0);
        assertThat(low.falseAcceptanceRate()).isEqualTo(100.0);
        assertThat(low.extrapolated()).isFalse();
        // a steep tail reaches BioServer's floor of 1e-15 % well inside the cosine range
        double[] imp = new double[200];
        for (int i = 0; i < imp.length; i++) {
            imp[i] = -0.3 + 0.003 * i;
        }
        ScoreCalibration steep = new ScoreCalibration(10, -5, imp, 3, 0.9, 0.05, "test",
                new ScoreCalibration.Tail(0.2, 0.005, 20));
        BioServerMatch top = steep.bioServer(1.0);
        assertThat(top.score()).isEqualTo(10000.0);
        assertThat(top.falseAcceptanceRate()).isCloseTo(1e-15, within(1e-27));
        assertThat(top.extrapolated()).isTrue();
    }

    @Test
    void tailFitRecoversAKnownExponentialAndTheCommittedFileHoldsTheFitOfItsOwnCosines() {
        Random r = new Random(7);
        double[] sample = new double[20000];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = -Math.log(1 - r.nextDouble()) * 0.08;
        }
        ScoreCalibration.Tail t = ScoreCalibration.Tail.fit(sample);
        assertThat(t.exceedances()).isEqualTo(2000);
        assertThat(t.scale()).isCloseTo(0.08, within(0.006));   // memoryless: the excess keeps the scale
        // the persisted tail is the fit of the persisted impostor cosines (no hand-set number)
        ScoreCalibration.Tail refit = ScoreCalibration.Tail.fit(c.impostorCosines());
        assertThat(c.tail().scale()).isCloseTo(refit.scale(), within(1e-5));
        assertThat(c.tail().threshold()).isCloseTo(refit.threshold(), within(1e-5));
        assertThat(c.tail().exceedances()).isEqualTo(refit.exceedances());
    }

    @Test
    void realPhotosSamePersonAbove3500DifferentPeopleBelow2500() {
        List<Template> yale = all(Photos.YALE_X4);
        List<Template> man = all(Photos.SAME_MAN_X3);
        BioServerMatch same = fa.compareBioServer(yale.get(0), yale.get(1));
        BioServerMatch sameMan = fa.compareBioServer(man.get(0), man.get(2));
        BioServerMatch other = fa.compareBioServer(yale.get(0), man.get(0));
        assertThat(same.score()).isGreaterThan(3500);
        assertThat(sameMan.score()).isGreaterThan(3500);
        assertThat(same.extrapolated()).isTrue();
        assertThat(other.score()).isLessThan(2500);
        assertThat(other.extrapolated()).isFalse();
        assertThat(same.impostorPairs()).isEqualTo(c.impostorPairs());
        // the IDLive / DIS scales are untouched by the BioServer tail
        assertThat(fa.compare(yale.get(0), yale.get(1)).falseAcceptance()).isEqualTo(c.farResolution());
    }

    private List<Template> all(String photo) {
        DecodedImage d = fa.decode(TestPhotos.bytes(photo));
        return fa.detectAll(d).stream().map(f -> fa.embed(d, f)).toList();
    }
}
