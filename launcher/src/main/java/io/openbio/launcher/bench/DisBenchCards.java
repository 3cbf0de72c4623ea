package io.openbio.launcher.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import net.sf.scuba.data.Gender;
import org.jmrtd.lds.icao.MRZInfo;

/**
 * The SYNTHETIC identity card of the DIS document benchmarks ({@link DisOnboardingBenchmark},
 * {@link DisPageBenchmark}): an ID-1 (TD1) card, 1000 px wide (the size a page is normalised to), with the
 * portrait photo given (the selfie's person), printed fields and a three-line TD1 MRZ in OCR-B (the font
 * fetched into {@code .photos/fonts/OCRB.otf}), composed with check digits by JMRTD's {@link MRZInfo}; the card
 * lies on a dark desk (1400 x 1000 px JPEG, quality 92). One page carries what a real card splits over its
 * front (portrait) and back (MRZ), as testkit's {@code MrzDocuments} does (testkit is test-scoped, so the
 * benchmarks draw their own). No barcode. Holder: a fictitious ADAM SAMPLE of ICAO's specimen state UTO.
 */
final class DisBenchCards {
    static final Path OCR_B = Path.of(".photos", "fonts", "OCRB.otf");
    /** ID-1 size (mm) and the drawing's resolution: 1000 px over 85.6 mm. */
    private static final double WIDTH_MM = 85.6;
    private static final double HEIGHT_MM = 53.98;
    private static final int CARD_W = 1000;
    private static final double PX = CARD_W / WIDTH_MM;

    private DisBenchCards() {
    }

    /** The card's MRZ lines (TD1, 3 x 30 characters). */
    static List<String> mrz() {
        MRZInfo info = MRZInfo.createTD1MRZInfo("I", "UTO", "AB1234567", "", "800201", Gender.MALE, "310101", "UTO", "",
                "SAMPLE", "ADAM");
        return List.of(info.toString().trim().split("\\s*\n\\s*"));
    }

    /** The photo of the card on the desk, as JPEG. */
    static byte[] card(byte[] portraitPhoto) throws Exception {
        if (!Files.exists(OCR_B)) {
            throw new IllegalStateException(OCR_B + " is missing: fetch the test photos (the fonts come with them)");
        }
        Font ocrB = Font.createFont(Font.TRUETYPE_FONT, OCR_B.toFile());
        int cardH = (int) Math.round(HEIGHT_MM * PX);
        BufferedImage card = new BufferedImage(CARD_W, cardH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = card.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setColor(new Color(236, 240, 230));
        g.fillRect(0, 0, CARD_W, cardH);
        g.setColor(new Color(40, 60, 110));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, px(3.2)));
        g.drawString("IDENTITY CARD  UTO", px(4), px(6));
        // portrait: the photo's centre, 35:45
        double mrzTopMm = HEIGHT_MM - (3 * 4.23 + 2.5) - 1.5;
        int pw = px(21);
        int ph = (int) Math.round(pw * 45 / 35.0);
        int py = px(8.5);
        ph = Math.min(ph, (int) (mrzTopMm * PX - px(1.5) - py));
        BufferedImage photo = ImageIO.read(new ByteArrayInputStream(portraitPhoto));
        int side = Math.min(photo.getWidth(), (int) (photo.getHeight() * pw / (double) ph));
        int sh = (int) (side * ph / (double) pw);
        int sx = (photo.getWidth() - side) / 2;
        int sy = Math.max(0, (photo.getHeight() - sh) / 2);
        g.drawImage(photo, px(4), py, px(4) + pw, py + ph, sx, sy, sx + side, sy + sh, null);
        // printed fields
        int fx = px(4) + pw + px(4);
        String[] labels = {"Surname", "Given names", "Document No.", "Date of birth", "Date of expiry"};
        String[] values = {"SAMPLE", "ADAM", "AB1234567", "01.02.1980", "01.01.2031"};
        double y = 9.5;
        for (int i = 0; i < labels.length; i++) {
            g.setColor(new Color(90, 90, 110));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, px(1.7)));
            g.drawString(labels[i], fx, px(y));
            g.setColor(new Color(20, 20, 30));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, px(2.7)));
            g.drawString(values[i], fx, px(y + 3.0));
            y += 5.4;
        }
        // MRZ: OCR-B at 10 characters per inch (2.54 mm pitch), lines 4.23 mm apart, 3 mm above the bottom edge
        List<String> mrz = mrz();
        g.setFont(ocrB.deriveFont(100f));
        double advance = g.getFontMetrics().charWidth('<');
        g.setFont(ocrB.deriveFont((float) (100 * 2.54 * PX / advance)));
        g.setColor(new Color(15, 15, 15));
        double left = (WIDTH_MM - 30 * 2.54) / 2;
        for (int i = 0; i < mrz.size(); i++) {
            double baseMm = HEIGHT_MM - 3.0 - (mrz.size() - 1 - i) * 4.23;
            g.drawString(mrz.get(i), (float) (left * PX), (float) (baseMm * PX));
        }
        g.dispose();

        BufferedImage scene = new BufferedImage(1400, 1000, BufferedImage.TYPE_INT_RGB);
        Graphics2D d = scene.createGraphics();
        d.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        d.setColor(new Color(40, 44, 52));
        d.fillRect(0, 0, scene.getWidth(), scene.getHeight());
        int x0 = (scene.getWidth() - CARD_W) / 2;
        int y0 = (scene.getHeight() - cardH) / 2;
        d.setClip(new RoundRectangle2D.Double(x0, y0, CARD_W, cardH, 2 * 3.18 * PX, 2 * 3.18 * PX));
        d.drawImage(card, x0, y0, null);
        d.dispose();
        return ChallengeBenchmark.jpeg(scene, 0.92f);
    }

    private static int px(double mm) {
        return (int) Math.round(mm * PX);
    }
}
