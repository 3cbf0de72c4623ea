package io.openbio.inference.document.page;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.detect.Point;
import io.openbio.inference.document.DocumentLocator;
import io.openbio.inference.document.DocumentStatus;
import io.openbio.inference.document.Quad;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;

import java.util.List;
import java.util.Optional;

/**
 * DIS document pages: finds the card corners ({@link DocumentLocator}, then {@link CornerRefiner}),
 * measures the outline's
 * confidence ({@link OutlineSupport}), normalises the page to its ICAO size ({@link PageFormat},
 * {@link PageGeometry#normalise}), measures its quality ({@link PageQuality}) and finds its portrait
 * (the {@link FaceAnalyzer}'s small-face path on the normalised page and on the page turned 180
 * degrees: the way up whose face scores higher is kept, which turns a page photographed upside down).
 * Thread-safe; the
 * FaceAnalyzer is shared, not owned.
 */
public final class DocumentPageAnalyzer {
    /**
     * Confidence under which an outline is not taken for card corners: set on the measured confidences
     * of the synthetic cards vs the outlines found on photos without a document (EVALUATION.md, "DIS
     * document pages").
     */
    public static final double MIN_CONFIDENCE = 0.7;
    static final String PORTRAIT_WIDTH_TEXT = "1.7";
    /**
     * Smallest face box height, as a share of the page height, taken for the portrait (an ID-1 portrait
     * face is about a third of the card's height; smaller "faces" on a page are ghost images or false
     * detections in text).
     */
    public static final double MIN_PORTRAIT_FACE_HEIGHT = 0.15;
    static final double PORTRAIT_WIDTH = 1.7;

    private final FaceAnalyzer faces;
    private final DocumentLocator locator = new DocumentLocator();

    public DocumentPageAnalyzer(FaceAnalyzer faces) {
        this.faces = faces;
    }

    /** Never throws for a decoded photo: no document is {@code NO_CARD_CORNERS_DETECTED}. */
    public DocumentPage analyze(RgbImage photo) {
        DocumentLocator.Location loc = locator.locate(photo);
        if (loc.quad() == null) {
            return DocumentPage.notFound(loc.detail());
        }
        WorkImage work = WorkImage.of(photo);
        Quad corners = CornerRefiner.refine(work, PageGeometry.pageOrder(loc.quad()));
        double confidence = OutlineSupport.of(work, corners);
        if (confidence < MIN_CONFIDENCE) {
            return DocumentPage.notFound(String.format("%s; outline confidence %.2f under %.2f", loc.detail(),
                    confidence, MIN_CONFIDENCE));
        }
        boolean out = loc.status() == DocumentStatus.DOCUMENT_CROPPED || outside(corners, photo);
        double aspect = PageGeometry.aspectRatio(corners);
        PageFormat format = PageFormat.nearest(aspect);
        RgbImage page = PageGeometry.normalise(photo, corners, format);
        Optional<PagePortrait> portrait = portrait(page);
        // the outline cannot tell a page from the page upside down: the portrait can
        Quad turned = new Quad(corners.bottomRight(), corners.bottomLeft(), corners.topLeft(), corners.topRight());
        RgbImage turnedPage = PageGeometry.normalise(photo, turned, format);
        Optional<PagePortrait> other = portrait(turnedPage);
        if (other.isPresent() && (portrait.isEmpty() || other.get().face().score() > portrait.get().face().score())) {
            corners = turned;
            page = turnedPage;
            portrait = other;
        }
        PageDetection det = new PageDetection(corners, confidence, out, aspect, format);
        PageQuality quality = PageQuality.of(page, corners, out, photo.width(), photo.height());
        String detail = String.format("%s; confidence %.2f, aspect %.3f -> %s, %s", loc.detail(), confidence, aspect,
                format, portrait.map(p -> String.format("portrait %.0fx%.0f px on the page", p.box().width(),
                        p.box().height())).orElse("no portrait"));
        return new DocumentPage(null, det, page, quality, portrait, detail);
    }

    /**
     * The largest face on a normalised page and its crop; empty when there is none or it is under
     * {@link #MIN_PORTRAIT_FACE_HEIGHT} of the page height.
     */
    public Optional<PagePortrait> portrait(RgbImage page) {
        List<Face> found = faces.detectSmallFaces(new DecodedImage(page, "normalised-page", 1, page.width(),
                page.height()));
        Face f = found.isEmpty() ? null : found.get(0); // largest first
        if (f == null || f.box().height() < MIN_PORTRAIT_FACE_HEIGHT * page.height()) {
            return Optional.empty();
        }
        double w = PORTRAIT_WIDTH * f.box().width();
        double h = w * 45 / 35;
        double x0 = Math.max(0, f.box().centerX() - w / 2);
        double y0 = Math.max(0, f.box().centerY() + 0.08 * f.box().height() - h / 2);
        double x1 = Math.min(page.width(), f.box().centerX() + w / 2);
        double y1 = Math.min(page.height(), f.box().centerY() + 0.08 * f.box().height() + h / 2);
        int cw = (int) Math.round(x1 - x0);
        int ch = (int) Math.round(y1 - y0);
        if (cw < 8 || ch < 8) {
            return Optional.empty();
        }
        BoundingBox box = new BoundingBox(x0, y0, x1 - x0, y1 - y0);
        return Optional.of(new PagePortrait(f, box, ImageOps.cropResize(page, x0, y0, x1 - x0, y1 - y0, cw, ch)));
    }

    private static boolean outside(Quad q, RgbImage photo) {
        for (Point p : q.corners()) {
            if (p.x() < 0 || p.y() < 0 || p.x() > photo.width() - 1 || p.y() > photo.height() - 1) {
                return true;
            }
        }
        return false;
    }
}
