package io.openbio.inference.attributes;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.quality.TemplateQuality;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BioServer's POST /v2/ages on real photos: an age with a quality, or none with a negative quality. */
class AgeEstimateTest {
    private final FaceAnalyzer fa = Shared.analyzer();

    @Test
    void astronautGetsAnAgeWithinHerDocumentedCareer() {
        // skimage's astronaut.png is Eileen Collins (born 1956), photographed as an astronaut, a career
        // its packaged docstring dates 1992-2006: she was 35 to 50 (see EVALUATION.md, "Age")
        AgeEstimate a = fa.estimateAge(TestPhotos.bytes(Photos.ASTRONAUT));
        assertThat(a.age()).isPresent();
        assertThat(a.age().getAsDouble()).isBetween(35.0, 50.0);
        assertThat(a.quality()).isGreaterThanOrEqualTo(0);
        assertThat(a.face()).isPresent();
        assertThat(a.aboveThreshold(18)).contains(true);
        assertThat(a.aboveThreshold(60)).contains(false);
    }

    @Test
    void noFaceIsMinusTenThousandWithoutAnAge() {
        AgeEstimate a = fa.estimateAge(TestPhotos.bytes(Photos.SUDOKU));
        assertThat(a.quality()).isEqualTo(AgeEstimate.NO_PERSON).isEqualTo(-10000);
        assertThat(a.age()).isEmpty();
        assertThat(a.face()).isEmpty();
        assertThat(a.aboveThreshold(18)).isEmpty();
    }

    @Test
    void aFaceTooSmallGetsANegativeQualityAndNoAge() {
        AgeEstimate a = fa.estimateAge(TestPhotos.bytes(Photos.MESSI));     // about 12 px between the eyes
        assertThat(a.quality()).isNegative().isGreaterThan(AgeEstimate.NO_PERSON);
        assertThat(a.age()).isEmpty();
        assertThat(a.face()).isPresent();
    }

    @Test
    void largestFaceOfAGroupIsTheOneEstimated() {
        var d = fa.decode(TestPhotos.bytes(Photos.GROUP1));
        var largest = fa.detectAll(d).get(0);
        AgeEstimate a = fa.estimateAge(d);
        assertThat(a.face()).contains(largest.box());
        assertThat(a.quality()).isEqualTo(TemplateQuality.of(largest));
        assertThat(a.age().getAsDouble()).isEqualTo(fa.attributeEstimator().age(d.image(), largest));
    }

    @Test
    void anAgeNeedsANonNegativeQuality() {
        assertThatThrownBy(() -> new AgeEstimate(OptionalDouble.of(30), -5, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
