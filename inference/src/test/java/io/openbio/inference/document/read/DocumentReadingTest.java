package io.openbio.inference.document.read;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.MultiFormatWriter;
import com.google.zxing.common.BitMatrix;
import io.openbio.inference.document.read.barcode.Barcode;
import io.openbio.inference.document.read.barcode.BarcodeReader;
import io.openbio.inference.document.read.mrz.MrzFormat;
import io.openbio.inference.document.read.mrz.MrzReader;
import io.openbio.inference.document.read.mrz.MrzReading;
import io.openbio.inference.document.read.ocr.OcrMode;
import io.openbio.inference.document.read.ocr.OcrResult;
import io.openbio.inference.document.read.ocr.TesseractOcr;
import io.openbio.inference.image.ImageDecoder;
import io.openbio.inference.model.ModelRepository;
import io.openbio.testkit.MrzDocuments;
import io.openbio.testkit.Photos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The document-reading chain on SYNTHETIC documents: the asserted subset of {@link DocumentReadingEvaluation}. */
class DocumentReadingTest {
    static TesseractOcr ocr;

    @BeforeAll
    static void open() {
        ocr = TesseractOcr.open(ModelRepository.fromEnvironment());
    }

    @AfterAll
    static void close() {
        ocr.close();
    }

    /**
     * Issue 20's "done when": 100 % of generated clean TD1 / TD3 samples parsed with valid check digits. Every
     * clean page of both formats at the three page widths of the evaluation (TD3 MRZ pitch 14-28 px, TD1 21-42 px)
     * must read VALID and with every field right: the checked ones, the names, the nationality and the sex.
     */
    @Test
    void everyCleanTd1AndTd3SampleIsReadValidWithEveryFieldRight() {
        int holders = 4;
        List<DocumentReadingEvaluation.Sample> s = DocumentReadingEvaluation.mrz(ocr,
                new MrzDocuments.Layout[] {MrzDocuments.Layout.TD1, MrzDocuments.Layout.TD3}, new int[] {700, 1000, 1400},
                List.of(SyntheticPages.Condition.CLEAN), holders, 42);
        assertThat(s).as("clean TD1 / TD3 samples").hasSize(2 * 3 * holders);
        for (DocumentReadingEvaluation.Sample x : s) {
            String what = String.format("%s at %d px, one of %d clean samples: %s, OCR %s", x.layout(), x.width(),
                    s.size(), x.truth(), x.reading().ocrLines());
            assertThat(x.reading().status()).as(what).isEqualTo(MrzReading.Status.VALID);
            assertThat(x.reading().mrz().format().name()).as(what).isEqualTo(x.layout().name());
            for (String f : DocumentReadingEvaluation.FIELDS) {
                assertThat(x.fieldRight(f)).as("%s of %s", f, what).isTrue();
            }
            assertThat(x.exact()).as(what).isTrue();
            assertThat(x.reading().confidence()).isGreaterThan(0.5);
            assertThat(x.reading().corners()).hasSize(4);
        }
    }

    @Test
    void td2AndDistortedPagesNeverGiveAValidZoneWithWrongDates() {
        List<DocumentReadingEvaluation.Sample> s = DocumentReadingEvaluation.mrz(ocr,
                new MrzDocuments.Layout[] {MrzDocuments.Layout.TD2, MrzDocuments.Layout.TD3}, new int[] {1000},
                List.of(SyntheticPages.Condition.CLEAN, new SyntheticPages.Condition("blur", 1.0, 0, 0),
                        new SyntheticPages.Condition("rotation", 0, 3, 0),
                        new SyntheticPages.Condition("keystone", 0, 0, 0.06)), 2, 43);
        long valid = s.stream().filter(DocumentReadingEvaluation.Sample::valid).count();
        assertThat(valid).as("VALID readings of %d", s.size()).isGreaterThanOrEqualTo(s.size() * 3 / 4);
        for (DocumentReadingEvaluation.Sample x : s) {
            if (x.valid()) {
                // dates are digits only: a misread there always breaks its check digit
                assertThat(x.fieldRight("dateOfBirth") && x.fieldRight("dateOfExpiry")).isTrue();
            }
        }
        assertThat(s.stream().filter(x -> x.layout() == MrzDocuments.Layout.TD2 && x.valid())
                .allMatch(x -> x.reading().mrz().format() == MrzFormat.TD2)).isTrue();
    }

    @Test
    void aPhotoWithoutMrzGivesNoZone() {
        MrzReading r = new MrzReader(ocr).read(new ImageDecoder().decode(Photos.bytes(Photos.MAN_A)).image());
        assertThat(r.status()).isIn(MrzReading.Status.NOT_FOUND, MrzReading.Status.UNREADABLE);
        assertThat(r.mrz()).isNull();
    }

    @Test
    void visualZoneTextIsReadWithConfidences() {
        MrzDocuments.Holder h = MrzDocuments.holder(MrzDocuments.Layout.TD3, new Random(3));
        BufferedImage page = MrzDocuments.page(MrzDocuments.Layout.TD3, h, Photos.bytes(Photos.MAN_A),
                MrzDocuments.ocrB(), 1200);
        OcrResult r = ocr.read(SyntheticPages.rgb(page), OcrMode.TEXT);
        String text = DocumentReadingEvaluation.squash(r.text());
        assertThat(text).contains(DocumentReadingEvaluation.squash(h.surname()), h.documentNumber());
        assertThat(r.confidence()).isBetween(0.5, 1.0);
        assertThat(r.lines()).allSatisfy(l -> assertThat(l.confidence()).isBetween(0.0, 1.0));
        assertThat(r.wordsBelow(1.01)).hasSize((int) r.lines().stream().mapToLong(l -> l.words().size()).sum());
    }

    @Test
    void barcodesOfEveryFormatAreDecodedFromAPage() throws Exception {
        String pdf = "@\nANSI 636000090002DL00410278ZV03190008DLDAQT64235789\nDCSSAMPLE\nDACMICHAEL\nDBB19860101\n";
        Map<BarcodeFormat, String> want = Map.of(BarcodeFormat.PDF_417, pdf, BarcodeFormat.QR_CODE,
                "https://example.org/doc?id=123456789", BarcodeFormat.CODE_39, "ID123456789", BarcodeFormat.CODE_128,
                "L898902C3<UTO");
        BufferedImage page = new BufferedImage(1400, 1100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(new Color(245, 245, 240));
        g.fillRect(0, 0, 1400, 1100);
        MultiFormatWriter writer = new MultiFormatWriter();
        draw(g, writer.encode(want.get(BarcodeFormat.PDF_417), BarcodeFormat.PDF_417, 700, 220,
                Map.of(EncodeHintType.MARGIN, 2)), 40, 40);
        draw(g, writer.encode(want.get(BarcodeFormat.QR_CODE), BarcodeFormat.QR_CODE, 260, 260), 1000, 40);
        draw(g, writer.encode(want.get(BarcodeFormat.CODE_39), BarcodeFormat.CODE_39, 600, 120), 40, 500);
        draw(g, writer.encode(want.get(BarcodeFormat.CODE_128), BarcodeFormat.CODE_128, 600, 120), 40, 800);
        g.dispose();
        List<Barcode> found = new BarcodeReader().read(SyntheticPages.rgb(page));
        assertThat(found).extracting(Barcode::type).containsExactlyInAnyOrder("pdf_417", "qr_code", "code_39", "code_128");
        for (Barcode b : found) {
            String text = want.get(BarcodeFormat.valueOf(b.type().toUpperCase()));
            assertThat(b.text()).isEqualTo(text);
            assertThat(new String(b.data(), StandardCharsets.UTF_8)).isEqualTo(text);
            assertThat(b.corners()).isNotEmpty();
        }
        // a vertical PDF417 (the page turned by 90 degrees) is found by the second, turned pass
        BufferedImage turned = new BufferedImage(1100, 1400, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1100; y++) {
            for (int x = 0; x < 1400; x++) {
                turned.setRGB(y, 1399 - x, page.getRGB(x, y));
            }
        }
        assertThat(new BarcodeReader().read(SyntheticPages.rgb(turned))).extracting(Barcode::type).contains("pdf_417");
        assertThat(new BarcodeReader().read(SyntheticPages.rgb(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB))))
                .isEmpty();
    }

    /** Same length and every differing character differs in ICAO value by a multiple of 10 (or no difference). */
    static boolean blindDifference(String read, String truth) {
        if (read.length() != truth.length()) {
            return false;
        }
        for (int i = 0; i < read.length(); i++) {
            int d = io.openbio.inference.document.read.mrz.MrzCheckDigits.value(read.charAt(i))
                    - io.openbio.inference.document.read.mrz.MrzCheckDigits.value(truth.charAt(i));
            if (d % 10 != 0) {
                return false;
            }
        }
        return true;
    }

    private static void draw(Graphics2D g, BitMatrix m, int x0, int y0) {
        g.setColor(Color.BLACK);
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) {
                    g.fillRect(x0 + x, y0 + y, 1, 1);
                }
            }
        }
    }
}
