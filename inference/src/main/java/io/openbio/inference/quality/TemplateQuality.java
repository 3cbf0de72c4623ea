package io.openbio.inference.quality;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Face;

/**
 * BioServer's Face {@code quality} ("template quality: above 100 good, negative: send the image
 * again"). <b>A documented formula over two measurements, not a model</b>: no quality model is
 * installed, and none of the numbers below was fitted to a quality label.
 *
 * <pre>
 *   IED &lt; 32 px:  quality = min(-1, round(100 (IED - 32) / (60 - 32)))       negative: send again
 *   IED &gt;= 32 px: quality = round(100 d (IED - 32) / (60 - 32))
 * </pre>
 *
 * where IED is the distance between the eye centres in source pixels ({@link Face#interEyeDistance()},
 * = {@link QualityReport#eyeDistance()}), d the detector's confidence (0.65..1 for a detected face),
 * 60 px the seed's image requirement ("at least 60 pixels between the eyes") and 32 px
 * {@link FaceAnalyzer#MIN_INTER_EYE_PX}, the smallest size at which matching was measured to hold
 * as at 64 px (EVALUATION.md, "Face size"). So a face with exactly the seed's 60 px detected with
 * full confidence scores 100, a larger face more (linearly: 120 px and d = 1 give 314), a face
 * below the measured minimum a negative value, which the platform also refuses with FACE_TOO_SMALL.
 * Sharpness, lighting and pose are not in it: nothing here measures how they change matching.
 */
public final class TemplateQuality {
    /** The seed's image requirement: at least 60 pixels between the eyes. */
    public static final double SEED_MIN_INTER_EYE_PX = 60;
    /** Below this the quality is negative: the platform's measured minimum for matching. */
    public static final double USABLE_MIN_INTER_EYE_PX = FaceAnalyzer.MIN_INTER_EYE_PX;

    private TemplateQuality() {
    }

    public static int of(Face face) {
        return of(face.interEyeDistance(), face.score());
    }

    /** The formula of the class comment; {@code detectionScore} is clamped to [0, 1]. */
    public static int of(double interEyePx, double detectionScore) {
        double rel = (interEyePx - USABLE_MIN_INTER_EYE_PX) / (SEED_MIN_INTER_EYE_PX - USABLE_MIN_INTER_EYE_PX);
        if (interEyePx < USABLE_MIN_INTER_EYE_PX) {
            return (int) Math.min(-1, Math.round(100 * rel));
        }
        double d = Math.max(0, Math.min(1, detectionScore));
        return (int) Math.round(100 * d * rel);
    }

    /** Whether BioServer would call the quality good (above 100). */
    public static boolean good(int quality) {
        return quality > 100;
    }
}
