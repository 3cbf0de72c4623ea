package io.openbio.inference.quality;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.RgbImage;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Shadow, nose shadow, specularity, background uniformity and crop respond to what they measure. */
class QualityMeasuresTest {
    private final FaceAnalyzer fa = Shared.analyzer();
    private final DecodedImage d = fa.decode(TestPhotos.bytes(Photos.MAN_B));
    private final Face f = fa.detect(d);
    private final QualityReport base = QualityMeter.measure(d.image(), f);

    /** A copy of the image with every pixel rewritten by op(index of the pixel, RGB) -> RGB. */
    private RgbImage edit(BiFunction<int[], int[], int[]> op) {
        RgbImage img = d.image();
        byte[] p = img.rgb().clone();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int i = (y * img.width() + x) * 3;
                int[] v = op.apply(new int[] {x, y}, new int[] {p[i] & 0xff, p[i + 1] & 0xff, p[i + 2] & 0xff});
                for (int c = 0; c < 3; c++) {
                    p[i + c] = (byte) Math.max(0, Math.min(255, v[c]));
                }
            }
        }
        return new RgbImage(img.width(), img.height(), p);
    }

    @Test
    void aShadowOverHalfTheFaceRaisesShadowAndNoseShadow() {
        double cx = f.keypoints().nose().x();
        RgbImage shaded = edit((xy, rgb) -> xy[0] < cx ? new int[] {rgb[0] * 2 / 5, rgb[1] * 2 / 5, rgb[2] * 2 / 5} : rgb);
        QualityReport q = QualityMeter.measure(shaded, f);
        assertThat(base.shadow()).isBetween(0.0, 0.25);
        assertThat(q.shadow()).isGreaterThan(0.4).isGreaterThan(base.shadow() + 0.3);
        assertThat(q.noseShadow()).isGreaterThan(base.noseShadow() + 0.3);
    }

    @Test
    void glareOnTheCheekRaisesSpecularity() {
        double cx = (f.keypoints().nose().x() + f.keypoints().leftEye().x()) / 2;
        double cy = f.keypoints().nose().y();
        double r = f.interEyeDistance() * 0.3;
        RgbImage glare = edit((xy, rgb) -> Math.hypot(xy[0] - cx, xy[1] - cy) < r ? new int[] {252, 252, 250} : rgb);
        QualityReport q = QualityMeter.measure(glare, f);
        assertThat(base.specularity()).isLessThan(0.02);
        assertThat(q.specularity()).isGreaterThan(base.specularity() + 0.03);
    }

    @Test
    void backgroundUniformityIsHighOnAFlatBackdropAndLowOnAPattern() {
        BoundingBox keep = f.box().squareScaled(1.3);
        java.util.function.BiPredicate<Integer, Integer> outside = (x, y) -> x < keep.x() || x >= keep.x() + keep.width()
                || y < keep.y() || y >= keep.y() + keep.height();
        RgbImage flat = edit((xy, rgb) -> outside.test(xy[0], xy[1]) ? new int[] {200, 200, 205} : rgb);
        RgbImage checker = edit((xy, rgb) -> outside.test(xy[0], xy[1])
                ? (((xy[0] / 8) + (xy[1] / 8)) % 2 == 0 ? new int[] {20, 20, 20} : new int[] {235, 235, 235}) : rgb);
        QualityReport qf = QualityMeter.measure(flat, f);
        QualityReport qc = QualityMeter.measure(checker, f);
        assertThat(qf.backgroundUniformity()).isGreaterThan(0.95);
        assertThat(qf.backgroundStdDev()).isLessThan(3);
        assertThat(qc.backgroundUniformity()).isLessThan(0.2);
        assertThat(base.backgroundUniformity()).isBetween(0.0, 1.0);
    }

    @Test
    void portraitCropHoldsTheFaceAndStaysInsideTheImage() {
        BoundingBox c = base.crop();
        BoundingBox b = f.box();
        assertThat(c.x()).isGreaterThanOrEqualTo(0);
        assertThat(c.y()).isGreaterThanOrEqualTo(0);
        assertThat(c.x() + c.width()).isLessThanOrEqualTo(d.width());
        assertThat(c.y() + c.height()).isLessThanOrEqualTo(d.height());
        assertThat(c.x()).isLessThanOrEqualTo(b.x());
        assertThat(c.x() + c.width()).isGreaterThanOrEqualTo(b.x() + b.width());
        byte[] jpeg = fa.cropJpeg(d, f);
        DecodedImage back = fa.decode(jpeg);
        assertThat(back.width()).isEqualTo((int) Math.round(c.width()));
        Face again = fa.detect(back); // the single face rule holds on the crop, at the same scale
        assertThat(again.interEyeDistance()).isCloseTo(f.interEyeDistance(), org.assertj.core.api.Assertions.within(6.0));
    }
}
