package io.openbio.inference.document;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.InferenceException;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.Point;
import io.openbio.inference.eval.SyntheticDocuments;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Document localisation, portrait and the four default pipelines on real photos and on the
 * SYNTHETIC card of man_a (development split) and attacks made from it.
 */
class DocumentChecksTest {
    static FaceAnalyzer fa;
    static DocumentAnalyzer da;
    static SyntheticDocuments.Photo genuine;
    static RgbImage genuinePixels;
    static RgbImage desk;

    @BeforeAll
    static void card() {
        fa = Shared.analyzer();
        da = DocumentAnalyzer.create(fa, new Properties());
        DecodedImage man = fa.decode(TestPhotos.bytes(Photos.MAN_A));
        RgbImage card = SyntheticDocuments.card(man.image(), fa.detect(man).box(), "man a", 1000);
        desk = SyntheticDocuments.desk(fa.decode(TestPhotos.bytes(Photos.CAMERA)).image(), 1400, 1000);
        genuine = SyntheticDocuments.photograph(card, desk, 1000, 0, 0);
        genuinePixels = SyntheticDocuments.decode(genuine.jpeg());
    }

    static DocumentAnalysis analyze(byte[] jpeg) {
        return da.analyze(jpeg);
    }

    /** A known outline (a DIS page's corners): the portrait found as with the locator, the checks on that outline; off the frame, none. */
    @Test
    void aKnownOutlineGivesThePortraitAndTheChecksOnIt() {
        double[] c = genuine.corners();
        Quad outline = new Quad(new Point(c[0], c[1]), new Point(c[2], c[3]), new Point(c[4], c[5]), new Point(c[6], c[7]));
        DecodedImage photo = fa.decode(genuine.jpeg());
        DocumentAnalysis known = da.analyze(photo, outline, false);
        assertThat(known.status()).isEqualTo(DocumentStatus.OK);
        assertThat(known.quad()).isEqualTo(outline);
        assertThat(known.portrait().box().iou(analyze(genuine.jpeg()).portrait().box())).isGreaterThan(0.9);
        assertThat(da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, known, Calibration.REGULAR).status()).isEqualTo(DocumentStatus.OK);
        DocumentAnalysis cropped = da.analyze(photo, outline, true);
        assertThat(cropped.found()).isFalse();
        assertThat(da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, cropped, Calibration.REGULAR).status()).isEqualTo(DocumentStatus.DOCUMENT_CROPPED);
    }

    @Test
    void findsTheSyntheticCardItsCornersAndItsPortrait() {
        DocumentAnalysis doc = analyze(genuine.jpeg());
        System.out.println("synthetic card: " + doc.status() + " " + doc.detail() + " " + doc.quad());
        assertThat(doc.status()).isEqualTo(DocumentStatus.OK);
        double[] c = genuine.corners();
        List<Point> q = doc.quad().corners();
        for (int i = 0; i < 4; i++) {
            assertThat(q.get(i).distance(new Point(c[2 * i], c[2 * i + 1]))).isLessThan(15);
        }
        assertThat(doc.portrait()).isNotNull();
        assertThat(doc.portrait().box().iou(genuine.portrait())).isGreaterThan(0.2);
        // the portrait is embeddable and matches the person whose photo is on the card
        double cos = fa.embed(doc.image(), doc.portrait()).similarity(fa.embed(TestPhotos.bytes(Photos.MAN_A)));
        System.out.println("portrait vs man_a.jpg cosine " + cos);
        assertThat(cos).isGreaterThan(0.5);
        assertThat(doc.qualityWarnings()).doesNotContain(QualityWarning.LOW_RESOLUTION, QualityWarning.BLUR);
    }

    @Test
    void aSelfieAndATextFreePhotoHaveNoDocument() {
        for (String name : List.of(Photos.MAN_A, Photos.MAN_B, Photos.ASTRONAUT)) {
            DocumentAnalysis doc = da.analyze(TestPhotos.bytes(name));
            assertThat(doc.status()).as(name + ": " + doc.detail()).isEqualTo(DocumentStatus.DOCUMENT_NOT_FOUND);
            DocumentCheckResult r = da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, doc, Calibration.REGULAR);
            assertThat(r.status()).isEqualTo(DocumentStatus.DOCUMENT_NOT_FOUND);
            assertThat(r.probability()).isNaN();
        }
    }

    @Test
    void aCardLeavingTheFrameIsCropped() {
        DecodedImage man = fa.decode(TestPhotos.bytes(Photos.MAN_A));
        RgbImage card = SyntheticDocuments.card(man.image(), fa.detect(man).box(), "man a", 1000);
        SyntheticDocuments.Photo off = SyntheticDocuments.photograph(card, desk, 1000, 300, 0);
        DocumentAnalysis doc = analyze(off.jpeg());
        System.out.println("card off the frame: " + doc.status() + " " + doc.detail());
        assertThat(doc.status()).isEqualTo(DocumentStatus.DOCUMENT_CROPPED);
        for (DocumentCheckResult r : da.checkAll(doc, Calibration.REGULAR)) {
            assertThat(r.status()).isEqualTo(DocumentStatus.DOCUMENT_CROPPED);
        }
    }

    @Test
    void aDocumentWithoutPortraitIsPhotoNotFound() {
        RgbImage page = SyntheticDocuments.onDesk(fa.decode(TestPhotos.bytes(Photos.IMAGE_TEXT)).image(), 64, 1);
        DocumentAnalysis doc = da.analyze(new DecodedImage(page, "png", 1, page.width(), page.height()));
        assertThat(doc.status()).isEqualTo(DocumentStatus.DOCUMENT_PHOTO_NOT_FOUND);
        assertThat(da.check(DocumentAttack.PRINTED_COPY_ATTACK, doc, Calibration.REGULAR).status())
                .isEqualTo(DocumentStatus.DOCUMENT_PHOTO_NOT_FOUND);
        Properties p = new Properties();
        p.setProperty(DocumentAnalyzer.REQUIRE_PORTRAIT, "false");
        DocumentAnalyzer lenient = DocumentAnalyzer.create(fa, p);
        assertThat(lenient.check(DocumentAttack.PRINTED_COPY_ATTACK, doc, Calibration.REGULAR).status()).isEqualTo(DocumentStatus.OK);
        assertThat(lenient.check(DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK, doc, Calibration.REGULAR).status())
                .isEqualTo(DocumentStatus.DOCUMENT_PHOTO_NOT_FOUND);
    }

    @Test
    void theGenuineCardPassesScreenAndManipulationChecks() {
        DocumentAnalysis doc = analyze(genuine.jpeg());
        for (DocumentCheckResult r : da.checkAll(doc, Calibration.REGULAR)) {
            System.out.printf("genuine %s %s %.3f %s%n", r.pipeline(), r.status(), r.probability(), r.detail());
            assertThat(r.status()).isEqualTo(DocumentStatus.OK);
            assertThat(r.probability()).isBetween(0.0, 1.0);
            assertThat(r.pipeline()).isEqualTo(r.type().defaultPipeline());
        }
        assertThat(da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, doc, Calibration.REGULAR).genuine()).isTrue();
        assertThat(da.check(DocumentAttack.DIGITAL_MANIPULATION_ATTACK, doc, Calibration.REGULAR).genuine()).isTrue();
    }

    /** The screen-replay pipeline on the card's screen recapture, scored on the known card outline. */
    @Test
    void screenReplayPipelineFallsOnASyntheticScreenReplay() {
        RgbImage replay = SyntheticDocuments.decode(SyntheticDocuments.screenReplay(genuinePixels, 1000));
        double g = known(genuinePixels, DocumentAttack.SCREEN_REPLAY_ATTACK);
        double a = known(replay, DocumentAttack.SCREEN_REPLAY_ATTACK);
        System.out.printf("default-sr genuine %.3f screen replay %.3f%n", g, a);
        assertThat(a).isLessThan(0.5).isLessThan(g);
    }

    @Test
    void printedCopyPipelineFallsOnASyntheticPrint() {
        byte[] print = SyntheticDocuments.print(genuinePixels, 1000);
        DocumentCheckResult g = da.check(DocumentAttack.PRINTED_COPY_ATTACK, analyze(genuine.jpeg()), Calibration.REGULAR);
        DocumentCheckResult a = da.check(DocumentAttack.PRINTED_COPY_ATTACK, analyze(print), Calibration.REGULAR);
        System.out.printf("default-pc genuine %.3f print %.3f (%s)%n", g.probability(), a.probability(), a.detail());
        assertThat(a.status()).isEqualTo(DocumentStatus.OK);
        assertThat(a.probability()).isLessThan(0.5).isLessThan(g.probability());
    }

    @Test
    void portraitSubstitutionPipelineMovesOnASubstitutedPortrait() {
        DecodedImage donor = fa.decode(TestPhotos.bytes(Photos.MAN_B));
        byte[] swapped = SyntheticDocuments.substitutePortrait(genuinePixels, genuine.portrait(), donor.image(), fa.detect(donor).box());
        DocumentCheckResult g = da.check(DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK, analyze(genuine.jpeg()), Calibration.REGULAR);
        DocumentCheckResult a = da.check(DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK, analyze(swapped), Calibration.REGULAR);
        System.out.printf("default-ps genuine %.3f (%s)%n  substituted %.3f (%s)%n", g.probability(), g.detail(),
                a.probability(), a.detail());
        assertThat(g.status()).isEqualTo(DocumentStatus.OK);
        assertThat(a.status()).isEqualTo(DocumentStatus.OK);
        assertThat(g.genuine()).isTrue();
        // direction only: the substituted portrait's statistic (noise / grid inconsistency) is larger
        assertThat(a.statistic()).isGreaterThan(g.statistic());
    }

    @Test
    void digitalManipulationPipelineOnTheRealElaPairAndASyntheticEdit() {
        double original = known(SyntheticDocuments.onDesk(fa.decode(TestPhotos.bytes(Photos.ELA_ORIGINAL)).image(), 64, 2),
                DocumentAttack.DIGITAL_MANIPULATION_ATTACK);
        double modified = known(SyntheticDocuments.onDesk(fa.decode(TestPhotos.bytes(Photos.ELA_MODIFIED)).image(), 64, 2),
                DocumentAttack.DIGITAL_MANIPULATION_ATTACK);
        System.out.printf("default-dm ela_original %.4f ela_modified %.4f%n", original, modified);
        assertThat(original).isGreaterThanOrEqualTo(0.5);
        assertThat(modified).isLessThan(original);
        RgbImage edited = SyntheticDocuments.decode(SyntheticDocuments.manipulate(genuinePixels, genuine.corners(), 1000));
        double g = known(genuinePixels, DocumentAttack.DIGITAL_MANIPULATION_ATTACK);
        double e = known(edited, DocumentAttack.DIGITAL_MANIPULATION_ATTACK);
        System.out.printf("default-dm genuine card %.4f edited card %.4f%n", g, e);
        assertThat(g).isGreaterThanOrEqualTo(0.5);
    }

    /** Raw probability of a pipeline with the document outline known (the margin of onDesk / the card corners). */
    static double known(RgbImage img, DocumentAttack type) {
        Quad q;
        if (img.width() == genuinePixels.width() && img.height() == genuinePixels.height()) {
            double[] c = genuine.corners();
            q = new Quad(new Point(c[0], c[1]), new Point(c[2], c[3]), new Point(c[4], c[5]), new Point(c[6], c[7]));
        } else {
            q = new Quad(new Point(64, 64), new Point(img.width() - 64, 64), new Point(img.width() - 64, img.height() - 64),
                    new Point(64, img.height() - 64));
        }
        DocumentAnalysis doc = new DocumentAnalysis(new DecodedImage(img, "test", 1, img.width(), img.height()),
                DocumentStatus.OK, q, null, List.of(), "known outline");
        Properties p = new Properties();
        p.setProperty(DocumentAnalyzer.REQUIRE_PORTRAIT, "false");
        DocumentCheckResult r = DocumentAnalyzer.create(fa, p).check(type, doc, Calibration.REGULAR);
        assertThat(r.status()).as(r.detail()).isEqualTo(DocumentStatus.OK);
        return r.rawProbability();
    }

    @Test
    void calibrationHardIsStricterThanRegularStricterThanSoft() {
        for (double raw : new double[] {0.01, 0.2, 0.3, 0.5, 0.6, 0.8, 0.99}) {
            assertThat(Calibration.HARD.apply(raw)).isLessThan(Calibration.REGULAR.apply(raw));
            assertThat(Calibration.REGULAR.apply(raw)).isLessThan(Calibration.SOFT.apply(raw));
        }
        assertThat(Calibration.REGULAR.apply(0.37)).isEqualTo(0.37);
        assertThat(Calibration.SOFT.apply(0.25)).isCloseTo(0.5, within(1e-12));
        assertThat(Calibration.HARD.apply(0.75)).isCloseTo(0.5, within(1e-12));
        assertThat(Calibration.of(null)).isEqualTo(Calibration.REGULAR);
        DocumentAnalysis doc = analyze(genuine.jpeg());
        DocumentCheckResult h = da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, doc, Calibration.HARD);
        DocumentCheckResult r = da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, doc, Calibration.REGULAR);
        DocumentCheckResult s = da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, doc, Calibration.SOFT);
        assertThat(h.rawProbability()).isEqualTo(r.rawProbability()).isEqualTo(s.rawProbability());
        assertThat(h.probability()).isLessThanOrEqualTo(r.probability());
        assertThat(r.probability()).isLessThanOrEqualTo(s.probability());
        assertThat(h.calibration()).isEqualTo(Calibration.HARD);
    }

    @Test
    void aNonImageIsTheOnlyExceptionAndUnknownPipelinesAreErrors() {
        assertThatThrownBy(() -> da.analyze("not an image".getBytes()))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IMAGE));
        DocumentAnalysis doc = analyze(genuine.jpeg());
        DocumentCheckResult r = da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, "pad-r-1", doc, Calibration.REGULAR);
        assertThat(r.status()).isEqualTo(DocumentStatus.ERROR);
        assertThat(r.detail()).contains("default-sr");
        assertThat(da.check(DocumentAttack.SCREEN_REPLAY_ATTACK, null, Calibration.REGULAR).status()).isEqualTo(DocumentStatus.ERROR);
        // a tiny image: no document, no exception
        byte[] tiny = ImageOps.encodeJpeg(new RgbImage(16, 16, new byte[16 * 16 * 3]), 90);
        DocumentAnalysis t = da.analyze(tiny);
        assertThat(t.status()).isEqualTo(DocumentStatus.DOCUMENT_NOT_FOUND);
        assertThat(da.checkAll(t, Calibration.SOFT)).allSatisfy(x -> assertThat(x.status()).isEqualTo(DocumentStatus.DOCUMENT_NOT_FOUND));
        // a flat grey card filling 20 % of a black frame: found, but too small / flat for the checks -> statuses, no throw
        byte[] flat = new byte[200 * 200 * 3];
        for (int y = 60; y < 140; y++) {
            for (int x = 50; x < 150; x++) {
                for (int c = 0; c < 3; c++) {
                    flat[(y * 200 + x) * 3 + c] = (byte) 200;
                }
            }
        }
        DocumentAnalysis f = da.analyze(ImageOps.encodeJpeg(new RgbImage(200, 200, flat), 95));
        assertThat(da.checkAll(f, Calibration.REGULAR)).allSatisfy(x -> assertThat(x.status()).isIn(
                DocumentStatus.DOCUMENT_PHOTO_NOT_FOUND, DocumentStatus.DOCUMENT_NOT_FOUND, DocumentStatus.ERROR, DocumentStatus.OK));
    }

    @ParameterizedTest
    @EnumSource(DocumentAttack.class)
    void anOnnxReplacementWithTheWrongHashIsRefusedAndNamesItsKey(DocumentAttack type) {
        Properties p = new Properties();
        p.setProperty(type.key() + ".model", io.openbio.inference.model.ModelRepository.fromEnvironment()
                .verifiedPath("fr_eye").toString());
        p.setProperty(type.key() + ".sha256", "00");
        assertThatThrownBy(() -> DocumentAnalyzer.create(fa, p))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContaining(type.key() + ".sha256");
    }

    @Test
    void anOnnxReplacementRunsUnderItsPipelineName() {
        // fr_liveness (3x128x128 RGB) stands in for a document model: the contract, not the accuracy, is tested
        java.nio.file.Path model = io.openbio.inference.model.ModelRepository.fromEnvironment().verifiedPath("fr_liveness");
        Properties p = new Properties();
        String k = DocumentAttack.PRINTED_COPY_ATTACK.key();
        p.setProperty(k + ".model", model.toString());
        p.setProperty(k + ".sha256", io.openbio.inference.model.ModelRepository.sha256(model));
        p.setProperty(k + ".size", "128");
        p.setProperty(k + ".scale", "1");
        p.setProperty(k + ".pipeline", "pc-onnx-test");
        try (DocumentAnalyzer custom = DocumentAnalyzer.create(fa, p)) {
            assertThat(custom.pipelineName(DocumentAttack.PRINTED_COPY_ATTACK)).isEqualTo("pc-onnx-test");
            assertThat(custom.pipelineName(DocumentAttack.SCREEN_REPLAY_ATTACK)).isEqualTo("default-sr");
            DocumentAnalysis doc = custom.analyze(genuine.jpeg());
            DocumentCheckResult r = custom.check(DocumentAttack.PRINTED_COPY_ATTACK, doc, Calibration.REGULAR);
            assertThat(r.status()).as(r.detail()).isEqualTo(DocumentStatus.OK);
            assertThat(r.pipeline()).isEqualTo("pc-onnx-test");
            assertThat(r.probability()).isBetween(0.0, 1.0);
            assertThat(r.statistic()).isNaN();
            DocumentCheckResult builtIn = custom.check(DocumentAttack.PRINTED_COPY_ATTACK, "default-pc", doc, Calibration.REGULAR);
            assertThat(builtIn.pipeline()).isEqualTo("default-pc");
            assertThat(builtIn.statistic()).isNotNaN();
        }
    }

}
