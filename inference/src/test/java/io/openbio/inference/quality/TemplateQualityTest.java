package io.openbio.inference.quality;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** BioServer's Face quality: the documented formula over the inter-eye distance and the detector's confidence. */
class TemplateQualityTest {
    @Test
    void oneHundredAtTheSeedsSixtyPixelsNegativeBelowTheMeasuredMinimum() {
        assertThat(TemplateQuality.of(60, 1.0)).isEqualTo(100);
        assertThat(TemplateQuality.of(120, 1.0)).isEqualTo(314);
        assertThat(TemplateQuality.of(32, 1.0)).isZero();
        assertThat(TemplateQuality.of(46, 1.0)).isEqualTo(50);
        // the detector's confidence scales a usable face down, never makes it negative
        assertThat(TemplateQuality.of(60, 0.8)).isEqualTo(80);
        assertThat(TemplateQuality.of(100, 2.0)).isEqualTo(TemplateQuality.of(100, 1.0));
        // below 32 px: negative whatever the confidence, and never 0 (0 is not "send again")
        assertThat(TemplateQuality.of(31.9, 1.0)).isEqualTo(-1);
        assertThat(TemplateQuality.of(12, 0.99)).isEqualTo(-71);
        assertThat(TemplateQuality.of(4, 0.5)).isEqualTo(TemplateQuality.of(4, 1.0)).isEqualTo(-100);
        assertThat(TemplateQuality.good(101)).isTrue();
        assertThat(TemplateQuality.good(100)).isFalse();
    }

    @Test
    void monotonicInTheEyeDistance() {
        int prev = Integer.MIN_VALUE;
        for (double ied = 1; ied <= 300; ied += 0.5) {
            int q = TemplateQuality.of(ied, 0.9);
            assertThat(q).isGreaterThanOrEqualTo(prev);
            prev = q;
        }
    }

    @Test
    void realPhotosLargePortraitGoodTinyFaceSendAgain() {
        FaceAnalyzer fa = Shared.analyzer();
        DecodedImage big = fa.decode(TestPhotos.bytes(Photos.MAN_B));       // about 127 px between the eyes
        Face f = fa.detectAll(big).get(0);
        int q = fa.templateQuality(f);
        assertThat(q).isEqualTo(TemplateQuality.of(f.interEyeDistance(), f.score())).isGreaterThan(100);
        assertThat(fa.quality(big, f).eyeDistance()).isEqualTo(f.interEyeDistance());
        DecodedImage tiny = fa.decode(TestPhotos.bytes(Photos.MESSI));      // about 12 px
        assertThat(fa.templateQuality(fa.detectAll(tiny).get(0))).isNegative();
    }
}
