package io.openbio.testkit;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * SYNTHETIC machine-readable documents for the document-reading tests: TD1 (ID-1 card), TD2 (ID-2)
 * and TD3 (passport data page) pages with a portrait from the real test photos, printed fields and an
 * MRZ in OCR-B (Debian fonts-ocr-b, fetched into .photos/fonts by inference/src/test/resources/photos.tsv).
 * The MRZ lines are composed here from ICAO 9303 (parts 3-6) with this class's own check-digit code,
 * independent of the production parser. One page carries what real cards split over front and back.
 * No real specimen document is reachable from this platform's build.
 */
public final class MrzDocuments {
    /** ICAO 9303 layouts with their physical size (mm) and line geometry. */
    public enum Layout {
        TD1(3, 30, 85.6, 54.0),
        TD2(2, 36, 105.0, 74.0),
        TD3(2, 44, 125.0, 88.0);

        public final int lines;
        public final int length;
        public final double widthMm;
        public final double heightMm;

        Layout(int lines, int length, double widthMm, double heightMm) {
            this.lines = lines;
            this.length = length;
            this.widthMm = widthMm;
            this.heightMm = heightMm;
        }
    }

    /**
     * A holder and document. Dates YYMMDD; sex M, F or {@code <}; {@code optional} is the TD3 personal
     * number or the TD1 / TD2 optional data (may be empty).
     */
    public record Holder(String documentCode, String issuingState, String surname, String givenNames,
                         String documentNumber, String nationality, String dateOfBirth, String sex,
                         String dateOfExpiry, String optional) {
    }

    public static final String FONT = Photos.OCR_B_FONT;
    private static final String[] SURNAMES = {"NOVAK", "SVOBODOVA", "DVORAK", "ERIKSSON", "MUELLER", "OBRIEN",
        "GARCIA LOPEZ", "VAN DER BERG", "KOWALSKI", "HORVATH", "NGUYEN", "SMITH", "JOHANSSON", "ROSSI", "MARTIN",
        "PETROVA", "DUBOIS", "FISCHER", "KRAL", "BLAZEK"};
    private static final String[] GIVEN = {"JAN", "EVA MARIA", "PETR", "ANNA", "HANS PETER", "SEAN", "LUCIA",
        "PIETER", "ANNA ZOFIA", "ISTVAN", "MINH", "JOHN", "KARIN", "GIULIA", "CLAIRE", "OLGA", "LUC", "JONAS",
        "TOMAS", "KLARA"};
    private static final String[] STATES = {"CZE", "SVK", "UTO", "D", "AUT", "POL", "FRA", "NLD", "SWE", "ITA"};
    private static final String NUMBER_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

    private MrzDocuments() {
    }

    /** A reproducible random holder for {@code layout}. */
    public static Holder holder(Layout layout, Random r) {
        String state = STATES[r.nextInt(STATES.length)];
        String code = switch (layout) {
            case TD3 -> "P";
            case TD2 -> r.nextBoolean() ? "I" : "ID";
            case TD1 -> r.nextBoolean() ? "ID" : "I";
        };
        StringBuilder number = new StringBuilder();
        // document numbers avoid I, O and Q (as most issuers do: they read as 1 and 0)
        number.append(NUMBER_CHARS.charAt(10 + r.nextInt(NUMBER_CHARS.length() - 10)));
        for (int i = 1; i < 9; i++) {
            number.append(NUMBER_CHARS.charAt(r.nextInt(i < 3 ? NUMBER_CHARS.length() : 10)));
        }
        String birth = date(r, 1940, 2006);
        String expiry = date(r, 2026, 2036).substring(0, 6);
        String optional = switch (layout) {
            case TD3 -> r.nextInt(3) == 0 ? "" : digits(r, 10);
            case TD1 -> r.nextBoolean() ? "" : digits(r, 8);
            case TD2 -> r.nextBoolean() ? "" : digits(r, 6);
        };
        return new Holder(code, state, SURNAMES[r.nextInt(SURNAMES.length)], GIVEN[r.nextInt(GIVEN.length)],
                number.toString(), r.nextInt(4) == 0 ? STATES[r.nextInt(STATES.length)] : state, birth,
                r.nextInt(10) == 0 ? "<" : (r.nextBoolean() ? "M" : "F"), expiry, optional);
    }

    private static String date(Random r, int fromYear, int toYear) {
        int y = fromYear + r.nextInt(toYear - fromYear + 1);
        int m = 1 + r.nextInt(12);
        int d = 1 + r.nextInt(28);
        return String.format(Locale.ROOT, "%02d%02d%02d", y % 100, m, d);
    }

    private static String digits(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    /** ICAO 9303 part 3: weights 7, 3, 1; 0-9, A-Z = 10..35, {@code <} = 0; sum mod 10. */
    public static char checkDigit(String s) {
        int[] w = {7, 3, 1};
        int sum = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int v = c == '<' ? 0 : Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            sum += v * w[i % 3];
        }
        return (char) ('0' + sum % 10);
    }

    private static String pad(String s, int n) {
        String t = s.toUpperCase(Locale.ROOT).replace(' ', '<');
        if (t.length() > n) {
            return t.substring(0, n);
        }
        return t + "<".repeat(n - t.length());
    }

    private static String name(Holder h, int n) {
        return pad(h.surname().replace(' ', '<') + "<<" + h.givenNames().replace(' ', '<'), n);
    }

    /** The MRZ lines of {@code h} in {@code layout}. */
    public static List<String> mrz(Layout layout, Holder h) {
        String code = pad(h.documentCode(), 2);
        String state = pad(h.issuingState(), 3);
        String nat = pad(h.nationality(), 3);
        String num = pad(h.documentNumber(), 9);
        String numCd = num + checkDigit(num);
        String dob = h.dateOfBirth() + checkDigit(h.dateOfBirth());
        String exp = h.dateOfExpiry() + checkDigit(h.dateOfExpiry());
        return switch (layout) {
            case TD3 -> {
                String pn = pad(h.optional(), 14);
                char pnCd = h.optional().isEmpty() ? '<' : checkDigit(pn);
                String l2 = numCd + nat + dob + h.sex() + exp + pn + pnCd;
                String comp = l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 43);
                yield List.of(code + state + name(h, 39), l2 + checkDigit(comp));
            }
            case TD2 -> {
                String l2 = numCd + nat + dob + h.sex() + exp + pad(h.optional(), 7);
                String comp = l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 35);
                yield List.of(code + state + name(h, 31), l2 + checkDigit(comp));
            }
            case TD1 -> {
                String l1 = code + state + numCd + pad(h.optional(), 15);
                String l2 = dob + h.sex() + exp + nat + pad("", 11);
                String comp = l1.substring(5, 30) + l2.substring(0, 7) + l2.substring(8, 15) + l2.substring(18, 29);
                yield List.of(l1, l2 + checkDigit(comp), name(h, 30));
            }
        };
    }

    /** The OCR-B font (Debian fonts-ocr-b); fails naming the fetch step when it is missing. */
    public static Font ocrB() {
        try {
            return Font.createFont(Font.TRUETYPE_FONT, Files.newInputStream(Photos.path(FONT)));
        } catch (FontFormatException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The printed (visual-zone) values of a page, in reading order: what a page's OCR should find. */
    public static List<String> printedValues(Holder h) {
        List<String> v = new ArrayList<>();
        v.add(h.surname());
        v.add(h.givenNames());
        v.add(h.documentNumber());
        v.add(printedDate(h.dateOfBirth(), true));
        v.add(printedDate(h.dateOfExpiry(), false));
        return v;
    }

    static String printedDate(String yymmdd, boolean birth) {
        int yy = Integer.parseInt(yymmdd.substring(0, 2));
        int year = birth ? (yy > 26 ? 1900 + yy : 2000 + yy) : 2000 + yy;
        return yymmdd.substring(4, 6) + "." + yymmdd.substring(2, 4) + "." + year;
    }

    /**
     * A page {@code widthPx} wide: guilloche-like background, title, portrait (the face of
     * {@code portraitPhoto}, centre crop), printed fields with labels, the MRZ at the bottom in OCR-B
     * at 10 characters per inch as ICAO 9303 prints it.
     */
    public static BufferedImage page(Layout layout, Holder h, byte[] portraitPhoto, Font ocrB, int widthPx) {
        return page(layout, h, mrz(layout, h), portraitPhoto, ocrB, widthPx);
    }

    /**
     * {@link #page(Layout, Holder, byte[], Font, int)} with the printed fields of {@code h} and the MRZ {@code mrzLines}
     * as given: a document whose visual zone and MRZ disagree, or whose MRZ has a wrong check digit.
     */
    public static BufferedImage page(Layout layout, Holder h, List<String> mrzLines, byte[] portraitPhoto, Font ocrB, int widthPx) {
        double px = widthPx / layout.widthMm;
        int heightPx = (int) Math.round(layout.heightMm * px);
        BufferedImage img = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setColor(new Color(236, 240, 230));
        g.fillRect(0, 0, widthPx, heightPx);
        g.setColor(new Color(214, 222, 210));
        for (int k = 0; k < 24; k++) {
            int prevX = 0;
            int prevY = (int) (k * heightPx / 24.0);
            for (int x = 4; x < widthPx; x += 4) {
                int y = (int) (k * heightPx / 24.0 + Math.sin(x / (6 * px) + k) * 2 * px);
                g.drawLine(prevX, prevY, x, y);
                prevX = x;
                prevY = y;
            }
        }
        // title
        Font sans = new Font(Font.SANS_SERIF, Font.BOLD, (int) Math.round(3.2 * px));
        g.setColor(new Color(40, 60, 110));
        g.setFont(sans);
        g.drawString(layout == Layout.TD3 ? "PASSPORT  " + h.issuingState() : "IDENTITY CARD  " + h.issuingState(),
                (int) (4 * px), (int) (6 * px));
        // portrait
        double mrzTopMm = layout.heightMm - (layout.lines * 4.23 + (layout == Layout.TD1 ? 2.5 : 3.5)) - 1.5;
        int pw = (int) Math.round((layout == Layout.TD1 ? 22 : 30) * px);
        int ph = (int) Math.round(pw * 1.3);
        int py = (int) Math.round(9 * px);
        if (py + ph > mrzTopMm * px - 2 * px) {
            ph = (int) (mrzTopMm * px - 2 * px - py);
            pw = (int) (ph / 1.3);
        }
        try {
            BufferedImage photo = ImageIO.read(new ByteArrayInputStream(portraitPhoto));
            int side = Math.min(photo.getWidth(), (int) (photo.getHeight() / 1.3));
            int sx = (photo.getWidth() - side) / 2;
            int sy = Math.max(0, (photo.getHeight() - (int) (side * 1.3)) / 2);
            g.drawImage(photo, (int) (4 * px), py, (int) (4 * px) + pw, py + ph, sx, sy, sx + side,
                    sy + (int) (side * 1.3), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // printed fields
        int fx = (int) (4 * px) + pw + (int) (4 * px);
        double lineMm = layout == Layout.TD1 ? 5.6 : 7.0;
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.max(6, Math.round(1.7 * px)));
        Font value = new Font(Font.SANS_SERIF, Font.BOLD, (int) Math.max(7, Math.round(2.7 * px)));
        String[] labels = {"Surname", "Given names", "Document No.", "Date of birth", "Date of expiry"};
        List<String> values = printedValues(h);
        double y = 9.5;
        for (int i = 0; i < labels.length; i++) {
            g.setColor(new Color(90, 90, 110));
            g.setFont(label);
            g.drawString(labels[i], fx, (int) Math.round(y * px));
            g.setColor(new Color(20, 20, 30));
            g.setFont(value);
            g.drawString(values.get(i), fx, (int) Math.round((y + 3.0) * px));
            y += lineMm;
        }
        // MRZ: OCR-B, 2.54 mm pitch, lines 4.23 mm apart, in the lower band of the document, which ICAO 9303
        // (part 3, the MRZ "clear area") keeps free of background print
        List<String> mrz = mrzLines;
        double clearTopMm = layout.heightMm - (layout == Layout.TD1 ? 3.0 : 4.0) - (mrz.size() - 1) * 4.23 - 4.5;
        g.setColor(new Color(236, 240, 230));
        g.fillRect(0, (int) Math.round(clearTopMm * px), widthPx, heightPx);
        Font f = ocrB.deriveFont(100f);
        g.setFont(f);
        double adv = g.getFontMetrics().charWidth('<');
        Font mrzFont = ocrB.deriveFont((float) (100 * 2.54 * px / adv));
        g.setFont(mrzFont);
        g.setColor(new Color(15, 15, 15));
        double left = (layout.widthMm - layout.length * 2.54) / 2;
        for (int i = 0; i < mrz.size(); i++) {
            double baseMm = layout.heightMm - (layout == Layout.TD1 ? 3.0 : 4.0) - (mrz.size() - 1 - i) * 4.23;
            g.drawString(mrz.get(i), (float) (left * px), (float) (baseMm * px));
        }
        g.dispose();
        return img;
    }
}
