package io.openbio.inference.document.page;

import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.inference.document.Quad;
import io.openbio.inference.document.RegionMeasures;
import io.openbio.inference.image.RgbImage;

import java.util.ArrayList;
import java.util.List;

/**
 * The DIS page quality ({@code DocumentPageQuality}): three measurements of the NORMALISED page
 * (fixed {@link PageFormat#PX_PER_MM} resolution, so that they compare across photos) and the
 * outline's place in the photo. Measurements are {@link RegionMeasures} (one definition with the IDLive
 * quality warnings); thresholds were set on measured distributions (inference/EVALUATION.md,
 * "DIS document pages").
 *
 * <pre>
 *   sharpness  v = Laplacian variance of the page; score = v / (v + SHARPNESS_LOW_VARIANCE) (0.5 at the
 *              LOW threshold, 0.75 at the HIGH one); LOW below SHARPNESS_LOW_VARIANCE (the IDLive BLUR
 *              threshold, DocumentAnalyzer.BLUR_LAPLACIAN_VARIANCE), HIGH from SHARPNESS_HIGH_VARIANCE,
 *              else MEDIUM; LOW = issue SHARPNESS_LOW. The variance grows with contrast: a very dark
 *              page also scores low.
 *   brightness score = mean grey / 255; LOW below BRIGHTNESS_LOW; HIGH when the page is overexposed:
 *              at least BRIGHTNESS_HIGH_CLIPPED of it in clipped areas; else MEDIUM;
 *              LOW = issue BRIGHTNESS_LOW, HIGH = issue BRIGHTNESS_HIGH
 *   hotspots   c = share of the page in clipped (saturated) areas; score = c / (c + HOTSPOTS_HIGH_SHARE)
 *              (0.5 at the HIGH threshold); LOW below HOTSPOTS_MEDIUM_SHARE, HIGH from
 *              HOTSPOTS_HIGH_SHARE, else MEDIUM; HIGH = issue HOTSPOTS_SCORE_HIGH (an overexposed page
 *              has both BRIGHTNESS_HIGH and HOTSPOTS_SCORE_HIGH)
 *   DOCUMENT_SMALL        the outline's shorter side under DocumentAnalyzer.LOW_RESOLUTION_SIDE (300) px
 *                         of the photo (an ID-1 card then holds under 5.5 px/mm)
 *   DOCUMENT_OUT_OF_IMAGE the document leaves the frame (cornerOutOfImage)
 *   warning DOCUMENT_CLOSE_TO_IMAGE_BORDER  a corner within BORDER_MARGIN of the photo's shorter side
 *                         from its border (and the document not out of the image)
 * </pre>
 * {@code fine} = no issue (a warning does not make the page not fine).
 */
public record PageQuality(boolean fine, List<Issue> issues, List<Warning> warnings, Check sharpness,
                          Check brightness, Check hotspots, RegionMeasures measures) {
    public static final double SHARPNESS_LOW_VARIANCE = DocumentAnalyzer.BLUR_LAPLACIAN_VARIANCE;
    public static final double SHARPNESS_HIGH_VARIANCE = 3 * SHARPNESS_LOW_VARIANCE;
    public static final double BRIGHTNESS_LOW = 0.40;
    public static final double BRIGHTNESS_HIGH_CLIPPED = 0.25;
    public static final double HOTSPOTS_MEDIUM_SHARE = 0.02;
    public static final double HOTSPOTS_HIGH_SHARE = 0.05;
    /** Share of the photo's shorter side under which a corner is close to the border. */
    public static final double BORDER_MARGIN = 0.02;

    public enum Level { LOW, MEDIUM, HIGH }

    public enum Issue { BRIGHTNESS_HIGH, BRIGHTNESS_LOW, HOTSPOTS_SCORE_HIGH, SHARPNESS_LOW, DOCUMENT_SMALL, DOCUMENT_OUT_OF_IMAGE }

    public enum Warning { DOCUMENT_CLOSE_TO_IMAGE_BORDER }

    /** One {@code QualityCheckDetail}: score 0..1 and level. */
    public record Check(double score, Level level) {
    }

    public PageQuality {
        issues = List.copyOf(issues);
        warnings = List.copyOf(warnings);
    }

    /**
     * Quality of a normalised page whose outline {@code corners} was found in a photo of
     * {@code photoWidth} x {@code photoHeight}.
     */
    public static PageQuality of(RgbImage page, Quad corners, boolean cornerOutOfImage, int photoWidth, int photoHeight) {
        RegionMeasures m = RegionMeasures.of(page);
        return of(m, corners, cornerOutOfImage, photoWidth, photoHeight);
    }

    static PageQuality of(RegionMeasures m, Quad corners, boolean cornerOutOfImage, int photoWidth, int photoHeight) {
        double v = m.laplacianVariance();
        Check sharp = new Check(v / (v + SHARPNESS_LOW_VARIANCE), v < SHARPNESS_LOW_VARIANCE ? Level.LOW
                : v >= SHARPNESS_HIGH_VARIANCE ? Level.HIGH : Level.MEDIUM);
        double b = m.meanGrey() / 255;
        double s = m.clippedAreaShare();
        Check bright = new Check(b, b < BRIGHTNESS_LOW ? Level.LOW
                : s >= BRIGHTNESS_HIGH_CLIPPED ? Level.HIGH : Level.MEDIUM);
        Check hot = new Check(s / (s + HOTSPOTS_HIGH_SHARE), s < HOTSPOTS_MEDIUM_SHARE ? Level.LOW
                : s >= HOTSPOTS_HIGH_SHARE ? Level.HIGH : Level.MEDIUM);
        List<Issue> issues = new ArrayList<>();
        if (bright.level() == Level.HIGH) {
            issues.add(Issue.BRIGHTNESS_HIGH);
        }
        if (bright.level() == Level.LOW) {
            issues.add(Issue.BRIGHTNESS_LOW);
        }
        if (hot.level() == Level.HIGH) {
            issues.add(Issue.HOTSPOTS_SCORE_HIGH);
        }
        if (sharp.level() == Level.LOW) {
            issues.add(Issue.SHARPNESS_LOW);
        }
        if (corners.sides()[1] < DocumentAnalyzer.LOW_RESOLUTION_SIDE) {
            issues.add(Issue.DOCUMENT_SMALL);
        }
        List<Warning> warnings = new ArrayList<>();
        if (cornerOutOfImage) {
            issues.add(Issue.DOCUMENT_OUT_OF_IMAGE);
        } else if (closeToBorder(corners, photoWidth, photoHeight)) {
            warnings.add(Warning.DOCUMENT_CLOSE_TO_IMAGE_BORDER);
        }
        return new PageQuality(issues.isEmpty(), issues, warnings, sharp, bright, hot, m);
    }

    static boolean closeToBorder(Quad q, int w, int h) {
        double margin = BORDER_MARGIN * Math.min(w, h);
        return q.minX() < margin || q.minY() < margin || q.maxX() > w - 1 - margin || q.maxY() > h - 1 - margin;
    }
}
