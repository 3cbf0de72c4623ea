package io.openbio.inference.palm;

import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.Point;
import io.openbio.inference.image.ImageDecoder;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * MediaPipe palm detection + hand landmarks on the real photos (no synthetic hands): the close-up palms
 * of opencv-doc's back-projection tutorial, hands in the face-api group photos, and photos with no hand
 * (face close-ups, a sudoku grid). What each photo gives is printed; EVALUATION.md ("Palm detection")
 * reads those lines.
 */
class PalmDetectorTest {
    /** One open palm each (opencv-doc back-projection tutorial photos; see photos.tsv). */
    static final List<String> ONE_PALM = List.of(Photos.PALM_A, Photos.PALM_B, Photos.PALM_C, Photos.PALM_D, Photos.PALM_E);
    /** Upright palms (fingers up). */
    static final List<String> UPRIGHT = List.of(Photos.PALM_C, Photos.PALM_D, Photos.PALM_E);
    /** No hand in sight: face close-ups, portraits, a sudoku grid. */
    static final List<String> NO_HAND = List.of(Photos.MAN_A, Photos.MAN_B, Photos.SAME_MAN_X3, Photos.FACEREG,
            Photos.YALE_X4, Photos.AB, Photos.ASTRONAUT, Photos.SUDOKU, Photos.TEXT_MOTION, Photos.ELA_MODIFIED);

    private static PalmDetector detector;
    private static final ImageDecoder DECODER = new ImageDecoder();

    @BeforeAll
    static void load() {
        detector = new PalmDetector(ModelRepository.fromEnvironment());
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    static RgbImage image(String photo) {
        return DECODER.decode(TestPhotos.bytes(photo)).image();
    }

    static List<PalmDetector.Palm> detect(String photo) {
        RgbImage img = image(photo);
        List<PalmDetector.Palm> palms = detector.detect(img);
        StringBuilder line = new StringBuilder(String.format("palm detection %s (%dx%d): %d", photo, img.width(), img.height(), palms.size()));
        for (PalmDetector.Palm p : palms) {
            line.append(String.format(" [presence %.3f, detector %.3f, centre %.0f,%.0f]", p.confidence(), p.detectorScore(),
                    p.rectangle().bounds().centerX(), p.rectangle().bounds().centerY()));
        }
        System.out.println(line);
        return palms;
    }

    @Test
    void findsTheOnePalmOfEachCloseUp() {
        for (String photo : ONE_PALM) {
            RgbImage img = image(photo);
            List<PalmDetector.Palm> palms = detect(photo);
            assertThat(palms).as(photo).hasSize(1);
            PalmDetector.Palm p = palms.get(0);
            assertThat(p.confidence()).as(photo).isBetween(0.9, 1.0);
            assertThat(p.landmarks()).hasSize(21);
            // a big palm: the rectangle's sides are a fair part of the picture, its centre inside it
            double side = Math.min(img.width(), img.height());
            PalmDetector.Rectangle r = p.rectangle();
            assertThat(r.topLeft().distance(r.topRight())).as(photo + " width").isGreaterThan(0.2 * side);
            assertThat(r.topLeft().distance(r.bottomLeft())).as(photo + " height").isGreaterThan(0.2 * side);
            assertThat(r.bounds().centerX()).isBetween(0.0, (double) img.width());
            assertThat(r.bounds().centerY()).isBetween(0.0, (double) img.height());
        }
    }

    @Test
    void uprightPalmsGiveAnUprightRectangleOverThePalm() {
        for (String photo : UPRIGHT) {
            RgbImage img = image(photo);
            PalmDetector.Palm p = detect(photo).get(0);
            PalmDetector.Rectangle r = p.rectangle();
            // fingers up: the finger edge is above the wrist edge, left is left
            assertThat(r.topLeft().y()).as(photo).isLessThan(r.bottomLeft().y());
            assertThat(r.topRight().y()).as(photo).isLessThan(r.bottomRight().y());
            assertThat(r.topLeft().x()).as(photo).isLessThan(r.topRight().x());
            double tilt = Math.toDegrees(Math.atan2(r.topRight().y() - r.topLeft().y(), r.topRight().x() - r.topLeft().x()));
            assertThat(Math.abs(tilt)).as(photo + " tilt").isLessThan(25);
            // the palm is in the lower half of these pictures (fingers above it), centred horizontally
            assertThat(r.bounds().centerY()).as(photo).isGreaterThan(img.height() * 0.5);
            assertThat(r.bounds().centerX()).as(photo).isBetween(img.width() * 0.3, img.width() * 0.7);
            // the fingertips (landmarks 8, 12, 16, 20) lie above the palm's top edge
            double topY = Math.max(r.topLeft().y(), r.topRight().y());
            for (int tip : new int[] {8, 12, 16, 20}) {
                assertThat(p.landmarks().get(tip).y()).as(photo + " tip " + tip).isLessThan(topY);
            }
        }
    }

    @Test
    void findsNoPalmWhereThereIsNoHand() {
        for (String photo : NO_HAND) {
            assertThat(detect(photo)).as(photo).isEmpty();
        }
    }

    /**
     * The one false alarm seen on the 15 photos without a hand (EVALUATION.md): an ear in face_swapped.jpg,
     * hand presence 0.511, just above MediaPipe's 0.5. Pinned so that a change making it worse shows.
     */
    @Test
    void theKnownFalseAlarmStaysWeak() {
        List<PalmDetector.Palm> palms = detect(Photos.FACE_SWAPPED);
        assertThat(palms).hasSizeLessThanOrEqualTo(1);
        palms.forEach(p -> assertThat(p.confidence()).isLessThan(0.6));
    }

    @Test
    void findsTheHandsOfAGroupPhoto() {
        // group2.jpg: three women on a sofa; four hands are fully visible (two on knees, one at a mouth, one
        // on a thigh), all found; the palms come most confident first
        List<PalmDetector.Palm> palms = detect(Photos.GROUP2);
        assertThat(palms).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < palms.size(); i++) {
            assertThat(palms.get(i).confidence()).isLessThanOrEqualTo(palms.get(i - 1).confidence());
        }
        assertThat(palms.get(3).confidence()).isGreaterThan(0.9);
        assertThat(detector.detectBest(image(Photos.GROUP2))).hasValueSatisfying(
                p -> assertThat(p.confidence()).isEqualTo(palms.get(0).confidence()));
    }

    @Test
    void palmRectangleRunsFromTheWristToTheFingerBases() {
        // an upright palm: wrist at (100, 200), middle finger base straight above it at (100, 100)
        List<Point> wristAndBases = List.of(new Point(100, 200), new Point(60, 104), new Point(100, 100),
                new Point(135, 100), new Point(165, 104));
        PalmDetector.Rectangle r = PalmDetector.palmRectangle(wristAndBases);
        // top edge at the bases' mean height (98 px above the wrist), bottom edge through the wrist; sides at the
        // outer bases (-40 and +65 px across) widened by a sixth of their 105 px spread
        assertThat(r.topLeft().x()).isCloseTo(42.5, within(1e-9));
        assertThat(r.topLeft().y()).isCloseTo(102, within(1e-9));
        assertThat(r.topRight().x()).isCloseTo(182.5, within(1e-9));
        assertThat(r.topRight().y()).isCloseTo(102, within(1e-9));
        assertThat(r.bottomRight().x()).isCloseTo(182.5, within(1e-9));
        assertThat(r.bottomRight().y()).isCloseTo(200, within(1e-9));
        assertThat(r.bottomLeft().x()).isCloseTo(42.5, within(1e-9));
        assertThat(r.bottomLeft().y()).isCloseTo(200, within(1e-9));
        // the same hand turned 90 degrees (fingers to the image's right): the rectangle turns with it
        List<Point> turned = wristAndBases.stream().map(q -> new Point(100 + (200 - q.y()), 200 + (q.x() - 100))).toList();
        PalmDetector.Rectangle t = PalmDetector.palmRectangle(turned);
        assertThat(t.topLeft().x()).isCloseTo(198, within(1e-9));
        assertThat(t.topLeft().y()).isCloseTo(142.5, within(1e-9));
        assertThat(t.bottomRight().x()).isCloseTo(100, within(1e-9));
        assertThat(t.bottomRight().y()).isCloseTo(282.5, within(1e-9));
        // a rectangle: opposite sides equal, corners in order
        assertThat(r.topLeft().distance(r.topRight())).isCloseTo(r.bottomLeft().distance(r.bottomRight()), within(1e-6));
        assertThat(r.topLeft().distance(r.bottomLeft())).isCloseTo(r.topRight().distance(r.bottomRight()), within(1e-6));
    }

    @Test
    void anchorsAreMediaPipesPalmGrid() {
        double[][] a = PalmDetector.anchors();
        assertThat(a).hasNumberOfRows(2944);
        assertThat(a[0]).containsExactly(1 / 64.0, 1 / 64.0);
        assertThat(a[1]).containsExactly(1 / 64.0, 1 / 64.0);
        assertThat(a[2]).containsExactly(3 / 64.0, 1 / 64.0);
        assertThat(a[2048]).containsExactly(1 / 32.0, 1 / 32.0);
        assertThat(a[2560]).containsExactly(1 / 16.0, 1 / 16.0);
        assertThat(a[2943]).containsExactly(15 / 16.0, 15 / 16.0);
    }
}
