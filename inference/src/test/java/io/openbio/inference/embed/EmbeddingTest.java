package io.openbio.inference.embed;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EmbeddingTest {
    private final FaceAnalyzer fa = Shared.analyzer();

    private List<Template> all(String photo) {
        DecodedImage d = fa.decode(TestPhotos.bytes(photo));
        return fa.detectAll(d).stream().map(f -> fa.embed(d, f)).toList();
    }

    @Test
    void embeddingIs512dUnitVectorTaggedWithModelAndVersion() {
        Template t = fa.embed(TestPhotos.bytes(Photos.MAN_B));
        assertThat(t.vector()).hasSize(512);
        double n = 0;
        for (float v : t.vector()) {
            n += v * v;
        }
        assertThat(Math.sqrt(n)).isCloseTo(1.0, within(1e-4));
        assertThat(t.modelId()).isEqualTo("fr_feature");
        assertThat(t.modelVersion()).startsWith("0.0.1+87aacdfe5751");
    }

    @Test
    void samePersonScoresAboveDifferentPeople() {
        List<Template> yale = all(Photos.YALE_X4);        // one woman, four lightings
        List<Template> man = all(Photos.SAME_MAN_X3);     // one man, three photos
        List<Template> group = all(Photos.GROUP3);        // three other people
        double minGenuine = Math.min(yale.get(0).similarity(yale.get(1)), man.get(0).similarity(man.get(2)));
        double maxImpostor = Math.max(yale.get(0).similarity(man.get(0)),
                Math.max(group.get(0).similarity(group.get(1)), group.get(1).similarity(yale.get(2))));
        assertThat(minGenuine).isGreaterThan(0.75);
        assertThat(maxImpostor).isLessThan(0.45);
        MatchScores g = fa.compare(yale.get(0), yale.get(1));
        MatchScores i = fa.compare(yale.get(0), man.get(0));
        assertThat(g.matchesForSearch()).isTrue();
        assertThat(i.matchesForValidation()).isFalse();
        // no FAR finer than the impostor pairs resolve: the genuine pair's score is the highest the data supports
        assertThat(g.falseAcceptance()).isEqualTo(fa.calibration().farResolution());
        assertThat(g.bioServerScore()).isEqualTo(fa.calibration().maxBioServerScore());
        assertThat(i.bioServerScore()).isLessThan(g.bioServerScore());
        // graded, not saturated: strictly inside (0, 1)
        assertThat(g.probability()).isGreaterThan(0.9).isLessThan(1.0);
        assertThat(i.probability()).isGreaterThanOrEqualTo(1e-6).isLessThan(0.5);
    }

    @Test
    void templateRoundTripsThroughBase64() {
        Template t = fa.embed(TestPhotos.bytes(Photos.MAN_A));
        String b64 = t.encode();
        Template back = fa.decodeTemplate(b64);
        assertThat(back).isEqualTo(t);
        assertThat(back.similarity(t)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void foreignModelOrVersionIsRefused() {
        Template t = fa.embed(TestPhotos.bytes(Photos.MAN_A));
        Template other = new Template("fr_feature", "9.9.9+000000000000", t.vector());
        assertThatThrownBy(() -> fa.decodeTemplate(other.encode()))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_VERSION_MISMATCH));
        assertThatThrownBy(() -> t.similarity(new Template("arcface", t.modelVersion(), t.vector())))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_VERSION_MISMATCH));
        assertThatThrownBy(() -> fa.decodeTemplate("not base64 !"))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TEMPLATE));
        String truncated = t.encode().substring(0, 40);
        assertThatThrownBy(() -> fa.decodeTemplate(truncated)).isInstanceOf(InferenceException.class);
    }

    @Test
    void bioServerScaleReproducesThePublishedFarTable() {
        assertThat(ScoreCalibration.bioServerScore(1e-2)).isCloseTo(2500, within(1e-9));
        assertThat(ScoreCalibration.bioServerScore(1e-3)).isCloseTo(3000, within(1e-9));
        assertThat(ScoreCalibration.bioServerScore(1e-4)).isCloseTo(3500, within(1e-9));
        assertThat(ScoreCalibration.bioServerScore(1e-5)).isCloseTo(4000, within(1e-9));
        assertThat(ScoreCalibration.bioServerScore(1e-6)).isCloseTo(4500, within(1e-9));
        assertThat(ScoreCalibration.farForBioServerScore(3500)).isCloseTo(1e-4, within(1e-12));
    }

    @Test
    void calibrationIsMonotonicAndFittedOnData() {
        ScoreCalibration c = fa.calibration();
        assertThat(c.provenance()).contains("fitted by EvaluationMain");
        assertThat(c.genuinePairs()).isPositive();
        assertThat(c.impostorPairs()).isPositive();
        double prevFar = 1;
        double prevP = 0;
        for (double s = -1.0; s <= 1.0; s += 0.01) {
            MatchScores m = c.scores(s);
            assertThat(m.falseAcceptance()).isLessThanOrEqualTo(prevFar);
            assertThat(m.probability()).isGreaterThanOrEqualTo(prevP).isStrictlyBetween(0.0, 1.0);
            prevFar = m.falseAcceptance();
            prevP = m.probability();
        }
        // the clamp: never more extreme than one pair in the impostor sample
        assertThat(c.probability(1.0)).isEqualTo(1 - c.epsilon());
        assertThat(c.probability(-1.0)).isEqualTo(c.epsilon()).isGreaterThan(1e-6);
        // the API thresholds stay between the classes: 0.5 below the genuine pairs, 0.9 above it
        assertThat(c.cosineForProbability(0.5)).isBetween(0.3, 0.7);
        assertThat(c.cosineForProbability(0.9)).isGreaterThan(c.cosineForProbability(0.5)).isLessThan(c.genuineMean());
    }

    @Test
    void genuinePairsOfTheSetGetGradedProbabilitiesImpostorsNoAbsurdlySmallOnes() {
        List<Template> yale = all(Photos.YALE_X4);
        List<Template> man = all(Photos.SAME_MAN_X3);
        List<Template> group = all(Photos.GROUP3);
        for (List<Template> same : List.of(yale, man)) {
            for (int i = 0; i < same.size(); i++) {
                for (int j = i + 1; j < same.size(); j++) {
                    MatchScores m = fa.compare(same.get(i), same.get(j));
                    assertThat(m.probability()).as("genuine pair").isGreaterThan(0.9).isLessThan(1.0);
                }
            }
        }
        for (Template a : group) {
            for (Template b : yale) {
                MatchScores m = fa.compare(a, b);
                assertThat(m.probability()).as("impostor pair").isGreaterThanOrEqualTo(1e-6).isLessThan(0.5);
            }
        }
    }

    @Test
    void falseAcceptanceIsNeverFinerThanTheImpostorPairsResolve() {
        ScoreCalibration c = fa.calibration();
        double res = c.farResolution();
        assertThat(res).isCloseTo(3.0 / c.impostorPairs(), within(0.2 / c.impostorPairs()));
        for (double s = -1.0; s <= 1.0; s += 0.01) {
            assertThat(c.falseAcceptance(s)).isGreaterThanOrEqualTo(res);
        }
        assertThat(c.falseAcceptance(1.0)).isEqualTo(res);
        assertThat(c.falseAcceptance(-1.0)).isEqualTo(1.0);
        // BioServer thresholds asking for a FAR below the resolution are flagged and get the floor's cosine
        double far4500 = ScoreCalibration.farForBioServerScore(4500);
        assertThat(c.isMeasurableFar(far4500)).isFalse();
        assertThat(c.cosineForFar(far4500)).isEqualTo(c.cosineForFar(res));
        assertThat(c.falseAcceptance(c.cosineForFar(far4500))).isEqualTo(res);
        assertThat(ScoreCalibration.bioServerScore(c.falseAcceptance(1.0))).isEqualTo(c.maxBioServerScore());
        double far1pct = 0.01;
        if (c.isMeasurableFar(far1pct)) {
            assertThat(c.falseAcceptance(c.cosineForFar(far1pct))).isLessThanOrEqualTo(far1pct);
        }
    }

    @Test
    void platFitOnSeparablePairsStaysFiniteAndClamped() {
        double[] genuine = {0.85, 0.9, 0.95};
        double[] impostor = new double[100];
        for (int i = 0; i < impostor.length; i++) {
            impostor[i] = -0.2 + 0.006 * i;   // -0.2 .. 0.394, all below every genuine score
        }
        ScoreCalibration c = ScoreCalibration.fit(genuine, impostor, "test");
        assertThat(c.slope()).isPositive().isLessThan(100);
        assertThat(c.epsilon()).isEqualTo(1.0 / 102);
        assertThat(c.probability(0.95)).isGreaterThan(0.9).isLessThanOrEqualTo(1 - c.epsilon());
        assertThat(c.probability(-0.2)).isGreaterThanOrEqualTo(c.epsilon()).isLessThan(0.1);
        assertThat(c.cosineForProbability(0.5)).isBetween(0.394, 0.85);
        assertThat(c.falseAcceptance(0.0)).isCloseTo(66.0 / 100, within(1e-9));
    }

    @Test
    void clopperPearsonIntervalsMatchKnownValues() {
        double[] zero = Interval.clopperPearson(0, 10);
        assertThat(zero[0]).isZero();
        assertThat(zero[1]).isCloseTo(0.3085, within(1e-4));
        double[] five = Interval.clopperPearson(5, 140);
        assertThat(five[0]).isCloseTo(0.0117, within(1e-4));
        assertThat(five[1]).isCloseTo(0.0814, within(1e-4));
        assertThat(Interval.resolution(1000)).isCloseTo(0.002991, within(1e-6));
        assertThat(Interval.describe(1, 4)).isEqualTo("0.2500 (1/4, CI 0.0063-0.8059)");
    }
}
