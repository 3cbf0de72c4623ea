package io.openbio.testkit;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A SYNTHETIC machine-readable document ({@link MrzDocuments#page}: portrait, printed fields, OCR-B MRZ) photographed
 * flat on a dark desk, as the DIS page-upload tests send it: the page drawn {@code pageWidthPx} wide in the middle of
 * a scene with a margin of a fifth of its width around it, as a high-quality JPEG. The page-normalisation step finds the
 * card's outline on the desk and flattens it; the reading then runs on that normalised page.
 */
public final class MrzCardPhotos {
    private MrzCardPhotos() {
    }

    /** The page of {@code holder} in {@code layout} on a desk, JPEG (quality 0.95). */
    public static byte[] onDesk(MrzDocuments.Layout layout, MrzDocuments.Holder holder, byte[] portraitPhoto, int pageWidthPx) {
        return onDesk(MrzDocuments.page(layout, holder, portraitPhoto, MrzDocuments.ocrB(), pageWidthPx));
    }

    /** Any page image on the desk, JPEG (quality 0.95). */
    public static byte[] onDesk(BufferedImage page) {
        int margin = page.getWidth() / 5;
        BufferedImage scene = new BufferedImage(page.getWidth() + 2 * margin, page.getHeight() + 2 * margin, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scene.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(40, 44, 52));
        g.fillRect(0, 0, scene.getWidth(), scene.getHeight());
        g.drawImage(page, margin, margin, null);
        g.dispose();
        return Jpegs.encode(scene, 0.95f);
    }
}
