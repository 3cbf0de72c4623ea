package io.openbio.testkit;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.pdf417.PDF417Writer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A SYNTHETIC US driver's licence (Virginia, the AAMVA standard's example holder MICHAEL JOHN SAMPLE, number T64235789,
 * born 01/31/1986, expired 12/10/2024, issued 06/06/2019) photographed on a desk ({@link MrzCardPhotos#onDesk}): the
 * back carries a PDF417 written by ZXing's {@code PDF417Writer} holding AAMVA DL content ({@link #content}), the front
 * the printed fields with US dates (month first) and {@code man_a.jpg} as the portrait. For the DIS barcode-reading
 * tests (processors' topology test, gateway's integration test).
 */
public final class AamvaCards {
    private AamvaCards() {
    }

    /** AAMVA version 10 content in the layout of the standard's example (Annex D), with correct offsets. */
    public static String content(String surname) {
        String subfile = "DLDAQT64235789\nDCS" + surname + "\nDDEN\nDACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCAD\nDCBK\nDCDPH\n"
                + "DBD06062019\nDBB01311986\nDBA12102024\nDBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\n"
                + "DAJVA\nDAK232690000  \nDCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDD1\r";
        return String.format("@\n\u001e\rANSI 636000100001DL%04d%04d", 31, subfile.length()) + subfile;
    }

    /** An ID-1 card 1000 px wide with a PDF417 of {@code content} (as US licences carry it on the back), on a desk. */
    public static byte[] back(String content) {
        BufferedImage page = card();
        BitMatrix code;
        try {
            code = new PDF417Writer().encode(content, BarcodeFormat.PDF_417, 860, 300,
                    Map.of(EncodeHintType.MARGIN, 10, EncodeHintType.ERROR_CORRECTION, 4));
        } catch (WriterException e) {
            throw new IllegalArgumentException(e);
        }
        Graphics2D g = page.createGraphics();
        int x0 = (page.getWidth() - code.getWidth()) / 2;
        int y0 = (page.getHeight() - code.getHeight()) / 2;
        g.setColor(Color.WHITE);
        g.fillRect(x0, y0, code.getWidth(), code.getHeight());
        g.setColor(Color.BLACK);
        for (int y = 0; y < code.getHeight(); y++) {
            for (int x = 0; x < code.getWidth(); x++) {
                if (code.get(x, y)) {
                    g.fillRect(x0 + x, y0 + y, 1, 1);
                }
            }
        }
        g.dispose();
        return MrzCardPhotos.onDesk(page);
    }

    /** The front: title, portrait, the printed fields as a US licence prints them (dates MM/DD/YYYY). */
    public static byte[] front(String surname) {
        BufferedImage page = card();
        Graphics2D g = page.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(40, 60, 110));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 40));
        g.drawString("VIRGINIA  DRIVER'S LICENSE", 40, 70);
        BufferedImage photo;
        try {
            photo = ImageIO.read(new ByteArrayInputStream(Photos.bytes(Photos.MAN_A)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int side = Math.min(photo.getWidth(), (int) (photo.getHeight() / 1.3));
        int sx = (photo.getWidth() - side) / 2;
        int sy = Math.max(0, (photo.getHeight() - (int) (side * 1.3)) / 2);
        g.drawImage(photo, 40, 110, 40 + 250, 110 + 325, sx, sy, sx + side, sy + (int) (side * 1.3), null);
        // a class row first: the first row under the title was misread whatever it held (DL NO. + T64235789 read as
        // one line "764235789" at 0.17; LAST NAME + SAMPLE not read), as Tesseract segments this synthetic layout
        String[][] fields = {{"CLASS", "D"}, {"LAST NAME", surname}, {"FIRST NAME", "MICHAEL JOHN"}, {"DOB", "01/31/1986"},
                {"EXP", "12/10/2024"}, {"DL NO.", "T64235789"}};
        int y = 130;
        for (String[] f : fields) {
            g.setColor(new Color(90, 90, 110));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
            g.drawString(f[0], 330, y);
            g.setColor(new Color(20, 20, 30));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
            g.drawString(f[1], 330, y + 34);
            y += 78;
        }
        g.dispose();
        return MrzCardPhotos.onDesk(page);
    }

    private static BufferedImage card() {
        BufferedImage page = new BufferedImage(1000, 631, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(new Color(236, 240, 230));
        g.fillRect(0, 0, page.getWidth(), page.getHeight());
        g.dispose();
        return page;
    }
}
