package io.openbio.inference.document.page;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.Point;
import io.openbio.inference.document.Quad;
import io.openbio.inference.eval.SyntheticDocuments;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.testkit.IdCards;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DIS document pages on SYNTHETIC card photos (SyntheticDocuments' card of man_a and testkit IdCards'
 * card, laid on real photos: rotated, in perspective, leaving the frame, blurred, dark, overexposed,
 * glared) and on the real photos (with and without a document).
 */
class DocumentPageAnalyzerTest {
    static FaceAnalyzer fa;
    static DocumentPageAnalyzer pages;
    static RgbImage card;
    static RgbImage desk;
    static RgbImage crowd;

    @BeforeAll
    static void setUp() {
        fa = Shared.analyzer();
        pages = new DocumentPageAnalyzer(fa);
        DecodedImage man = fa.decode(TestPhotos.bytes(Photos.MAN_A));
        card = SyntheticDocuments.card(man.image(), fa.detect(man).box(), "man a", 1000);
        desk = SyntheticDocuments.desk(fa.decode(TestPhotos.bytes(Photos.CAMERA)).image(), 1400, 1000);
        crowd = PageScenes.background(fa.decode(TestPhotos.bytes(Photos.GROUP1)).image(), 1400, 1000);
    }

    static PageScenes.Scene shot(RgbImage background, PageScenes.Pose pose, PageScenes.Defects defects) {
        return PageScenes.photograph(card, background, pose, defects, 42);
    }

    static DocumentPage found(PageScenes.Scene s) {
        DocumentPage p = pages.analyze(s.photo());
        System.out.println(p.detail() + " " + (p.quality() == null ? "" : p.quality()));
        assertThat(p.found()).as(p.detail()).isTrue();
        assertThat(p.errorCode()).isNull();
        return p;
    }

    static void cornersNear(DocumentPage p, Quad truth, double px) {
        List<Point> f = p.detection().corners().corners();
        for (int i = 0; i < 4; i++) {
            assertThat(f.get(i).distance(truth.corners().get(i))).as("corner " + i + " " + f.get(i)).isLessThan(px);
        }
    }

    @Test
    void aFlatCardIsFoundNormalisedToId1AndItsPortraitIsTheCardHolder() {
        PageScenes.Scene s = shot(desk, PageScenes.Pose.centred(0.7, 0), PageScenes.Defects.NONE);
        DocumentPage p = found(s);
        cornersNear(p, s.truth(), 6);
        assertThat(p.detection().confidence()).isBetween(DocumentPageAnalyzer.MIN_CONFIDENCE, 1.0);
        assertThat(p.detection().cornerOutOfImage()).isFalse();
        assertThat(p.detection().format()).isEqualTo(PageFormat.ID1);
        assertThat(p.page().width()).isEqualTo(1000);
        assertThat(p.page().height()).isEqualTo(631);
        assertThat(p.quality().fine()).as(p.quality().toString()).isTrue();
        assertThat(p.quality().issues()).isEmpty();
        assertThat(p.quality().warnings()).isEmpty();
        assertThat(p.quality().sharpness().level()).isNotEqualTo(PageQuality.Level.LOW);
        assertThat(p.quality().brightness().level()).isEqualTo(PageQuality.Level.MEDIUM);
        assertThat(p.quality().hotspots().level()).isEqualTo(PageQuality.Level.LOW);
        // the portrait is found on the flat page where the layout put it, and it is man_a
        PagePortrait portrait = p.portrait().orElseThrow();
        double scale = 1000.0 / SyntheticDocuments.CARD_W;
        assertThat(portrait.face().box().centerX()).isBetween(SyntheticDocuments.PX * scale,
                (SyntheticDocuments.PX + SyntheticDocuments.PW) * scale);
        assertThat(portrait.face().box().centerY()).isBetween(SyntheticDocuments.PY * scale,
                (SyntheticDocuments.PY + SyntheticDocuments.PH) * scale);
        assertThat(portrait.crop().height()).isGreaterThan(portrait.crop().width());
        byte[] jpeg = ImageOps.encodeJpeg(portrait.crop(), 95);
        double cos = fa.embed(jpeg).similarity(fa.embed(TestPhotos.bytes(Photos.MAN_A)));
        System.out.println("document portrait vs man_a.jpg cosine " + cos);
        assertThat(cos).isGreaterThan(0.5);
    }

    @Test
    void rotatedCardsOnABusyBackgroundAreFoundAndComeOutLandscape() {
        for (double deg : new double[] {12, -25, 90}) {
            PageScenes.Scene s = shot(crowd, PageScenes.Pose.centred(deg == 90 ? 0.45 : 0.6, deg), PageScenes.Defects.NONE);
            DocumentPage p = found(s);
            assertThat(PageScenes.cornerError(p.detection().corners(), s.truth())).as("rotation " + deg).isLessThan(8);
            assertThat(p.page().width()).isGreaterThan(p.page().height());
            assertThat(p.portrait()).as("rotation " + deg).isPresent();
            // the page comes out the right way up: TL is the card's own top-left corner
            cornersNear(p, s.truth(), 8);
        }
    }

    @Test
    void anUpsideDownCardIsTurnedByItsPortrait() {
        PageScenes.Scene s = shot(desk, PageScenes.Pose.centred(0.6, 178), PageScenes.Defects.NONE);
        DocumentPage p = found(s);
        assertThat(p.portrait()).isPresent();
        cornersNear(p, s.truth(), 8);
    }

    @Test
    void aCardInPerspectiveIsFoundAndFlattened() {
        PageScenes.Scene s = shot(desk, new PageScenes.Pose(0.5, 0.5, 0.65, 5, 0.08), PageScenes.Defects.NONE);
        DocumentPage p = found(s);
        cornersNear(p, s.truth(), 8);
        assertThat(p.detection().format()).isEqualTo(PageFormat.ID1);
        assertThat(p.quality().fine()).isTrue();
    }

    @Test
    void theTestkitIdCardIsFoundWithAndWithoutPortrait() {
        RgbImage withFace = PageScenes.idCardsCard(IdCards.withPortrait(TestPhotos.bytes(Photos.MAN_A)));
        PageScenes.Scene s = PageScenes.photograph(withFace, crowd, PageScenes.Pose.centred(0.6, 8), PageScenes.Defects.NONE, 7);
        DocumentPage p = found(s);
        // the card's corners are rounded (radius 20 px): the refined corners are the sides' intersections
        cornersNear(p, s.truth(), 8);
        assertThat(p.portrait()).isPresent();
        RgbImage blank = PageScenes.idCardsCard(IdCards.blank());
        DocumentPage b = found(PageScenes.photograph(blank, desk, PageScenes.Pose.centred(0.6, -6), PageScenes.Defects.NONE, 8));
        assertThat(b.portrait()).isEmpty();
    }

    @Test
    void aCardLeavingTheFrameHasACornerOutOfImage() {
        PageScenes.Scene s = shot(desk, new PageScenes.Pose(0.85, 0.5, 0.6, 2, 0), PageScenes.Defects.NONE);
        DocumentPage p = found(s);
        assertThat(p.detection().cornerOutOfImage()).isTrue();
        assertThat(p.quality().issues()).contains(PageQuality.Issue.DOCUMENT_OUT_OF_IMAGE);
        assertThat(p.quality().fine()).isFalse();
    }

    @Test
    void aCardCloseToTheBorderIsAWarningNotAnIssue() {
        // card 0.6 of the frame wide, its right edge 10 px from the border
        double cx = (1400 - 10 - 0.6 * 1400 / 2) / 1400;
        PageScenes.Scene s = shot(desk, new PageScenes.Pose(cx, 0.5, 0.6, 0, 0), PageScenes.Defects.NONE);
        DocumentPage p = found(s);
        assertThat(p.detection().cornerOutOfImage()).isFalse();
        assertThat(p.quality().warnings()).containsExactly(PageQuality.Warning.DOCUMENT_CLOSE_TO_IMAGE_BORDER);
        assertThat(p.quality().issues()).isEmpty();
        assertThat(p.quality().fine()).isTrue();
    }

    @Test
    void blurDarknessOverexposureAndGlareAreTheirIssues() {
        DocumentPage blurred = found(shot(desk, PageScenes.Pose.centred(0.6, 3), new PageScenes.Defects(2.5, 1, 0)));
        assertThat(blurred.quality().issues()).containsExactly(PageQuality.Issue.SHARPNESS_LOW);
        assertThat(blurred.quality().sharpness().level()).isEqualTo(PageQuality.Level.LOW);
        assertThat(blurred.quality().sharpness().score()).isLessThan(0.5);

        DocumentPage dark = found(shot(desk, PageScenes.Pose.centred(0.6, 3), new PageScenes.Defects(0, 0.3, 0)));
        assertThat(dark.quality().issues()).contains(PageQuality.Issue.BRIGHTNESS_LOW);
        assertThat(dark.quality().brightness().level()).isEqualTo(PageQuality.Level.LOW);

        DocumentPage bright = found(shot(desk, PageScenes.Pose.centred(0.6, 3), new PageScenes.Defects(0, 2.0, 0)));
        assertThat(bright.quality().issues()).contains(PageQuality.Issue.BRIGHTNESS_HIGH);
        assertThat(bright.quality().brightness().level()).isEqualTo(PageQuality.Level.HIGH);

        DocumentPage glare = found(shot(desk, PageScenes.Pose.centred(0.6, 3), new PageScenes.Defects(0, 1, 0.12)));
        assertThat(glare.quality().issues()).containsExactly(PageQuality.Issue.HOTSPOTS_SCORE_HIGH);
        assertThat(glare.quality().hotspots().level()).isEqualTo(PageQuality.Level.HIGH);
        assertThat(glare.quality().hotspots().score()).isGreaterThanOrEqualTo(0.5);
        for (DocumentPage p : List.of(blurred, dark, bright, glare)) {
            assertThat(p.quality().fine()).isFalse();
            for (PageQuality.Check c : List.of(p.quality().sharpness(), p.quality().brightness(), p.quality().hotspots())) {
                assertThat(c.score()).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void aSmallCardIsDocumentSmall() {
        RgbImage smallDesk = ImageOps.resize(desk, 700, 500);
        DocumentPage p = found(shot(smallDesk, PageScenes.Pose.centred(0.55, 2), PageScenes.Defects.NONE));
        assertThat(p.quality().issues()).contains(PageQuality.Issue.DOCUMENT_SMALL);
    }

    @Test
    void photosWithoutADocumentHaveNoCardCorners() {
        for (String name : List.of(Photos.MAN_A, Photos.ASTRONAUT, Photos.GROUP1, Photos.MESSI)) {
            DocumentPage p = pages.analyze(fa.decode(TestPhotos.bytes(name)).image());
            assertThat(p.errorCode()).as(name + ": " + p.detail()).isEqualTo(DocumentPage.NO_CARD_CORNERS_DETECTED);
            assertThat(p.detection()).isNull();
            assertThat(p.page()).isNull();
            assertThat(p.portrait()).isEmpty();
        }
    }

    @Test
    void realDocumentPhotosOnADeskSharpAndBlurred() {
        DocumentPage page = pages.analyze(SyntheticDocuments.onDesk(fa.decode(TestPhotos.bytes(Photos.PAGE)).image(), 64, 1));
        assertThat(page.found()).as(page.detail()).isTrue();
        assertThat(page.quality().sharpness().level()).isNotEqualTo(PageQuality.Level.LOW);
        assertThat(page.portrait()).isEmpty();
        for (String blurred : List.of(Photos.TEXT_DEFOCUS, Photos.TEXT_MOTION)) {
            DocumentPage p = pages.analyze(SyntheticDocuments.onDesk(fa.decode(TestPhotos.bytes(blurred)).image(), 64, 1));
            assertThat(p.found()).as(p.detail()).isTrue();
            assertThat(p.quality().issues()).as(blurred).contains(PageQuality.Issue.SHARPNESS_LOW);
        }
    }

    @Test
    void anId3PageIsNormalisedToId3() {
        RgbImage id3 = ImageOps.resize(card, 1250, 880);
        PageScenes.Scene s = PageScenes.photograph(id3, desk, PageScenes.Pose.centred(0.6, 4), PageScenes.Defects.NONE, 9);
        DocumentPage p = found(s);
        assertThat(p.detection().format()).isEqualTo(PageFormat.ID3);
        assertThat(p.page().width()).isEqualTo(PageFormat.ID3.widthPx());
        assertThat(p.page().height()).isEqualTo(PageFormat.ID3.heightPx());
    }

    @Test
    void formatsAndCropResizing() {
        assertThat(PageFormat.ID1.widthPx()).isEqualTo(1000);
        assertThat(PageFormat.ID1.heightPx()).isEqualTo(631);
        assertThat(PageFormat.ID3.widthPx()).isEqualTo(1460);
        assertThat(PageFormat.nearest(1.58)).isEqualTo(PageFormat.ID1);
        assertThat(PageFormat.nearest(1 / 1.58)).isEqualTo(PageFormat.ID1);
        assertThat(PageFormat.nearest(1.42)).isEqualTo(PageFormat.ID3);
        RgbImage img = new RgbImage(1000, 631, new byte[1000 * 631 * 3]);
        assertThat(PageGeometry.resize(img, null, null)).isSameAs(img);
        RgbImage w = PageGeometry.resize(img, 500, null);
        assertThat(w.width()).isEqualTo(500);
        assertThat(w.height()).isEqualTo(316);
        RgbImage h = PageGeometry.resize(img, null, 100);
        assertThat(h.height()).isEqualTo(100);
        assertThat(h.width()).isEqualTo(158);
        RgbImage both = PageGeometry.resize(img, 400, 400); // fits inside, aspect kept
        assertThat(both.width()).isEqualTo(400);
        assertThat(both.height()).isEqualTo(252);
        RgbImage up = PageGeometry.resize(img, 2000, 2000);
        assertThat(up.width()).isEqualTo(2000);
        assertThatThrownBy(() -> PageGeometry.resize(img, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageGeometry.resize(img, null, -3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageGeometry.resize(img, 5000, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pageOrderPutsALongSideOnTopWithTheLeastRotation() {
        // a card standing upright (long side vertical), listed in arbitrary order
        Quad q = new Quad(new Point(100, 100), new Point(300, 100), new Point(300, 417), new Point(100, 417));
        Quad o = PageGeometry.pageOrder(q);
        assertThat(o.topLeft().distance(o.topRight())).isGreaterThan(o.topLeft().distance(o.bottomLeft()));
        // a landscape card rotated by 30 degrees keeps its top-left corner
        double a = Math.toRadians(30);
        Point[] p = new Point[4];
        double[][] c = {{-158, -100}, {158, -100}, {158, 100}, {-158, 100}};
        for (int i = 0; i < 4; i++) {
            p[i] = new Point(500 + c[i][0] * Math.cos(a) - c[i][1] * Math.sin(a), 500 + c[i][0] * Math.sin(a) + c[i][1] * Math.cos(a));
        }
        Quad r = PageGeometry.pageOrder(new Quad(p[2], p[0], p[3], p[1]));
        assertThat(r.topLeft()).isEqualTo(p[0]);
        assertThat(r.topRight()).isEqualTo(p[1]);
        assertThat(r.bottomRight()).isEqualTo(p[2]);
        assertThat(r.bottomLeft()).isEqualTo(p[3]);
    }
}
