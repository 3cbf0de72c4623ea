package io.openbio.inference.dis;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.quality.QualityMeter;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PortraitSegmenterTest {
    private static PortraitSegmenter seg;
    private final FaceAnalyzer fa = Shared.analyzer();

    @BeforeAll
    static void load() {
        seg = new PortraitSegmenter(ModelRepository.fromEnvironment());
    }

    @AfterAll
    static void close() {
        seg.close();
    }

    record Cut(RgbImage crop, BoundingBox faceInCrop) {
    }

    private Cut cut(String photo) {
        DecodedImage d = fa.decode(TestPhotos.bytes(photo));
        Face f = fa.detect(d);
        BoundingBox c = QualityMeter.crop(d.image(), f);
        BoundingBox b = f.box();
        return new Cut(fa.cropImage(d, f), new BoundingBox(b.x() - c.x(), b.y() - c.y(), b.width(), b.height()));
    }

    static BoundingBox corner(RgbImage img, boolean right, boolean bottom, double share) {
        double w = img.width() * share;
        double h = img.height() * share;
        return new BoundingBox(right ? img.width() - w : 0, bottom ? img.height() - h : 0, w, h);
    }

    /** Real portraits: the mask covers the face box and leaves the top corners of the portrait crop (background) out. */
    @Test
    void maskCoversTheFaceAndNotTheBackgroundCorners() {
        for (String p : List.of(Photos.MAN_A, Photos.MAN_B, Photos.ASTRONAUT, Photos.AB, Photos.FACE_SWAPPED)) {
            Cut c = cut(p);
            PortraitSegmenter.Mask m = seg.segment(c.crop());
            assertThat(m.width()).isEqualTo(c.crop().width());
            assertThat(m.height()).isEqualTo(c.crop().height());
            assertThat(m.mean(c.faceInCrop())).as("%s face", p).isGreaterThan(0.9);
            assertThat(m.mean(corner(c.crop(), false, false, 0.12))).as("%s top-left corner", p).isLessThan(0.05);
            assertThat(m.mean(corner(c.crop(), true, false, 0.12))).as("%s top-right corner", p).isLessThan(0.05);
            assertThat(m.coverage(0.5)).as("%s person share", p).isBetween(0.3, 0.8);
            // the whole photo too (the model resizes whatever it is given to 256x256)
            DecodedImage d = fa.decode(TestPhotos.bytes(p));
            PortraitSegmenter.Mask whole = seg.segment(d.image());
            assertThat(whole.mean(fa.detect(d).box())).as("%s face in the whole photo", p).isGreaterThan(0.9);
            assertThat(whole.mean(corner(d.image(), false, false, 0.12))).as("%s photo corner", p).isLessThan(0.05);
        }
    }

    @Test
    void aPhotoWithoutAPersonIsMostlyBackground() {
        DecodedImage d = fa.decode(TestPhotos.bytes(Photos.SUDOKU));
        double share = seg.segment(d.image()).coverage(0.5);
        System.out.printf("sudoku.png person share %.4f%n", share);
        assertThat(share).isLessThan(0.05);
    }

    @Test
    void removedBackgroundIsATransparentPngOfTheCrop() throws Exception {
        Cut c = cut(Photos.MAN_B);
        byte[] png = seg.removeBackgroundPng(c.crop());
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(back.getWidth()).isEqualTo(c.crop().width());
        assertThat(back.getHeight()).isEqualTo(c.crop().height());
        assertThat(back.getColorModel().hasAlpha()).isTrue();
        int cx = (int) c.faceInCrop().centerX();
        int cy = (int) c.faceInCrop().centerY();
        assertThat(back.getRGB(2, 2) >>> 24).isLessThan(10);
        assertThat(back.getRGB(back.getWidth() - 3, 2) >>> 24).isLessThan(10);
        assertThat(back.getRGB(cx, cy) >>> 24).isGreaterThan(240);
        // the colour is the crop's own where the person is
        int i = cy * c.crop().width() + cx;
        assertThat((back.getRGB(cx, cy) >> 16) & 0xff).isEqualTo(c.crop().rgb()[3 * i] & 0xff);
        // laid on white: background corners white, the face unchanged
        RgbImage white = PortraitSegmenter.onWhite(c.crop(), seg.segment(c.crop()));
        assertThat(white.rgb()[0] & 0xff).isGreaterThan(245);
        assertThat(white.rgb()[3 * i] & 0xff).isCloseTo(c.crop().rgb()[3 * i] & 0xff, org.assertj.core.api.Assertions.within(3));
    }
}
