package io.openbio.inference.dis;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DisScoresTest {
    private final FaceAnalyzer fa = Shared.analyzer();
    private final DisScores dis = new DisScores(fa.calibration());

    private List<Template> all(String photo) {
        DecodedImage d = fa.decode(TestPhotos.bytes(photo));
        return fa.detectAll(d).stream().map(f -> fa.embed(d, f)).toList();
    }

    @Test
    void samePersonScoresHighAndDifferentPeopleLowOnRealPhotos() {
        List<Template> yale = all(Photos.YALE_X4);      // one woman, four lightings
        List<Template> man = all(Photos.SAME_MAN_X3);   // one man, three photos
        List<Template> group = all(Photos.GROUP3);      // three other people
        for (DisScores.Match genuine : List.of(dis.match(yale.get(0), yale.get(1)), dis.match(yale.get(1), yale.get(3)),
                dis.match(man.get(0), man.get(2)))) {
            assertThat(genuine.score()).isGreaterThan(DisScores.STRICT_THRESHOLD).isLessThan(1.0);
            assertThat(genuine.samePerson()).isTrue();
            // no FAR finer than the impostor pairs resolve
            assertThat(genuine.falseAcceptance()).isEqualTo(fa.calibration().farResolution());
            assertThat(genuine.impostorsAtOrAbove()).isZero();
        }
        for (DisScores.Match impostor : List.of(dis.match(yale.get(0), man.get(0)), dis.match(group.get(0), group.get(1)),
                dis.match(group.get(2), yale.get(2)), dis.match(man.get(1), group.get(1)))) {
            assertThat(impostor.score()).isGreaterThan(0.0).isLessThan(DisScores.SAME_PERSON_THRESHOLD);
            assertThat(impostor.samePerson()).isFalse();
            assertThat(impostor.impostorPairs()).isEqualTo(fa.calibration().impostorPairs());
        }
        // the same number as MatchScores.disScore: one mapping for the whole platform
        assertThat(dis.match(yale.get(0), yale.get(1)).score())
                .isEqualTo(fa.compare(yale.get(0), yale.get(1)).disScore());
    }

    @Test
    void scoreIsMonotoneAndInsideZeroOne() {
        double prev = -1;
        for (int i = -100; i <= 100; i++) {
            double s = dis.score(i / 100.0);
            assertThat(s).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(prev);
            prev = s;
        }
        double e = fa.calibration().epsilon();
        assertThat(dis.score(1.0)).isCloseTo(1 - e, within(1e-12));
        assertThat(dis.score(-1.0)).isCloseTo(e, within(1e-12));
        assertThat(dis.score(5.0)).isEqualTo(dis.score(1.0));
        assertThatThrownBy(() -> dis.score(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thresholdsStandForTheMeasuredPairs() {
        DisScores.OperatingPoint half = dis.operatingPoint(DisScores.SAME_PERSON_THRESHOLD);
        DisScores.OperatingPoint strict = dis.operatingPoint(DisScores.STRICT_THRESHOLD);
        assertThat(dis.score(half.cosine())).isCloseTo(0.5, within(1e-9));
        assertThat(strict.cosine()).isGreaterThan(half.cosine());
        // EVALUATION.md "DIS similarity score": 1 of 732 at 0.5, 0 of 732 at 0.9
        assertThat(half.impostorPairs()).isEqualTo(fa.calibration().impostorPairs());
        assertThat(half.impostorsAccepted()).isLessThanOrEqualTo(2);
        assertThat(strict.impostorsAccepted()).isZero();
        assertThat(strict.farUpper95()).isGreaterThan(0).isLessThan(0.01);
        assertThat(half.farResolution()).isEqualTo(fa.calibration().farResolution());
    }

    @Test
    void livenessSelfiesUseTheMinimum() {
        assertThat(DisScores.minimum(0.97, 0.42, 0.99)).isEqualTo(0.42);
        assertThat(DisScores.samePerson(DisScores.minimum(0.97, 0.42, 0.99))).isFalse();
        assertThat(DisScores.samePerson(DisScores.minimum(0.97, 0.95))).isTrue();
        assertThat(DisScores.samePerson(DisScores.SAME_PERSON_THRESHOLD)).isTrue();
        assertThatThrownBy(DisScores::minimum).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void templatesOfAnotherModelAreRefused() {
        Template t = fa.embed(TestPhotos.bytes(Photos.MAN_A));
        Template foreign = new Template("fr_feature", "9.9.9+000000000000", t.vector());
        assertThatThrownBy(() -> dis.match(t, foreign)).isInstanceOfSatisfying(InferenceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_VERSION_MISMATCH));
        assertThat(dis.match(t, t).score()).isCloseTo(1 - fa.calibration().epsilon(), within(1e-6));
    }
}
