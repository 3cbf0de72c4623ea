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
        assertThat(g.bioServerScore()).isGreaterThan(4500);
        assertThat(i.bioServerScore()).isLessThan(3000);
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
    void calibrationIsMonotonicAndDerivedFromData() {
        ScoreCalibration c = fa.calibration();
        assertThat(c.provenance()).contains("derived by EvaluationMain");
        double prevFar = 1;
        double prevP = 0;
        for (double s = -0.5; s <= 1.0; s += 0.05) {
            MatchScores m = c.scores(s);
            assertThat(m.falseAcceptance()).isLessThanOrEqualTo(prevFar);
            assertThat(m.probability()).isGreaterThanOrEqualTo(prevP).isBetween(0.0, 1.0);
            prevFar = m.falseAcceptance();
            prevP = m.probability();
        }
        assertThat(c.falseAcceptance(c.impostorMean())).isCloseTo(0.5, within(1e-6));
        assertThat(ScoreCalibration.erfc(0)).isCloseTo(1.0, within(1e-7));
        assertThat(ScoreCalibration.erfc(3)).isCloseTo(2.209049699858544e-5, within(1e-10));
    }
}
